import { describe, expect, it } from 'vitest';
import { classifyResponse, parseErrorType } from './classify-response.js';

describe('parseErrorType', () => {
  it('reads x-amzn-ErrorType as the AWS SDKs do', () => {
    expect(parseErrorType('UnauthorizedException')).toBe('UnauthorizedException');
    expect(parseErrorType('UnauthorizedException:http://internal.amazon.com/coral/com.amazon.coral.service/')).toBe('UnauthorizedException');
    expect(parseErrorType('aws.protocoltests#FooError:http://internal.amazon.com/')).toBe('FooError');
    expect(parseErrorType('ThrottlingException, LimitExceededException')).toBe('ThrottlingException');
    expect(parseErrorType(' ')).toBeUndefined();
    expect(parseErrorType(undefined)).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  it('lets the status choose the family and the error type choose within it', () => {
    expect(classifyResponse({ status: 502, errorType: 'InternalServerErrorException', message: 'Internal server error', shape: 'json-message' }).code).toBe('BAD_GATEWAY');
    expect(classifyResponse({ status: 429, errorType: 'LimitExceededException', message: undefined, shape: 'none' }).code).toBe('QUOTA_EXCEEDED');
    expect(classifyResponse({ status: undefined, errorType: 'TooManyRequestsException', message: undefined, shape: 'none' }).code).toBe('THROTTLED');
  });

  it('only calls a 403 "Forbidden" a missing API key when API Gateway said it', () => {
    expect(classifyResponse({ status: 403, errorType: undefined, message: 'Forbidden', shape: 'json-message' })).toEqual({ code: 'INVALID_API_KEY', source: 'gateway' });
    expect(classifyResponse({ status: 403, errorType: undefined, message: 'Forbidden', shape: 'text' })).toEqual({ code: 'ACCESS_DENIED', source: 'backend' });
  });

  it('reads a backend\'s own words about an expired token', () => {
    expect(classifyResponse({ status: 401, errorType: undefined, message: 'JWT expired at 2026-01-01T00:00:00Z', shape: 'text' }).code).toBe('TOKEN_EXPIRED');
  });

  it('calls backend JSON with an ordinary message the backend\'s', () => {
    expect(classifyResponse({ status: 404, errorType: undefined, message: 'Order with ID 4711 not found', shape: 'json-message' }).source).toBe('backend');
    expect(classifyResponse({ status: 404, errorType: undefined, message: 'Not Found', shape: 'json-message' }).source).toBe('gateway');
  });
});
