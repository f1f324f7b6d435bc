import { describe, expect, it } from 'vitest';
import type { QuivoErrorCode, QuivoErrorSource, QuivoOutcome } from './error-types.js';
import { QuivoError } from './quivo-error.js';
import { toQuivoError } from './to-quivo-error.js';

interface Row {
  readonly name: string;
  readonly status: number;
  readonly errorType?: string;
  /** A JSON body (sent in every shape a client may hand over) or a text body. */
  readonly body?: object | string;
  readonly statusText?: string;
  readonly code: QuivoErrorCode;
  readonly source: QuivoErrorSource;
  readonly message: string;
  readonly outcome: QuivoOutcome;
  readonly transient: boolean;
  /** Expected `retryable` for GET and for POST. */
  readonly retry: readonly [get: boolean, post: boolean];
}

// Bodies and headers as API Gateway (REST API, Cognito/Lambda authorizer, usage plan) and the Quivo backend send them.
const ROWS: readonly Row[] = [
  { name: 'gateway 400', status: 400, errorType: 'BadRequestException', body: { message: 'Invalid request body' }, code: 'BAD_REQUEST', source: 'gateway', message: 'Invalid request body', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'backend 400 text', status: 400, body: 'positions: must not be null', code: 'BAD_REQUEST', source: 'backend', message: 'positions: must not be null', outcome: 'failed', transient: false, retry: [false, false] },
  { name: 'expired token', status: 401, errorType: 'UnauthorizedException', body: { message: 'The incoming token has expired' }, code: 'TOKEN_EXPIRED', source: 'gateway', message: 'The incoming token has expired', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'unauthorized', status: 401, errorType: 'UnauthorizedException', body: { message: 'Unauthorized' }, code: 'UNAUTHORIZED', source: 'gateway', message: 'Unauthorized', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'failing authorizer, message null', status: 401, errorType: 'UnauthorizedException', body: { message: null }, code: 'UNAUTHORIZED', source: 'gateway', message: 'HTTP 401 Unauthorized', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'error type with URL suffix', status: 401, errorType: 'UnauthorizedException:http://internal.amazon.com/coral/com.amazon.coral.service/', body: { message: 'Unauthorized' }, code: 'UNAUTHORIZED', source: 'gateway', message: 'Unauthorized', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'missing API key', status: 403, errorType: 'ForbiddenException', body: { message: 'Forbidden' }, code: 'INVALID_API_KEY', source: 'gateway', message: 'Forbidden', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'explicit deny, capital M', status: 403, errorType: 'AccessDeniedException', body: { Message: 'User is not authorized to access this resource with an explicit deny' }, code: 'ACCESS_DENIED', source: 'gateway', message: 'User is not authorized to access this resource with an explicit deny', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'resource policy deny, no error type', status: 403, body: { Message: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:123456789012:abc/prod/GET/orders' }, code: 'ACCESS_DENIED', source: 'gateway', message: 'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-central-1:123456789012:abc/prod/GET/orders', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'unknown route', status: 403, errorType: 'MissingAuthenticationTokenException', body: { message: 'Missing Authentication Token' }, code: 'ROUTE_NOT_FOUND', source: 'gateway', message: 'Missing Authentication Token', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'unknown route with a token', status: 403, errorType: 'IncompleteSignatureException', body: { message: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'q1w2e3='." }, code: 'ROUTE_NOT_FOUND', source: 'gateway', message: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'q1w2e3='.", outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'expired AWS credentials', status: 403, errorType: 'ExpiredTokenException', body: { message: 'The security token included in the request is expired' }, code: 'EXPIRED_SIGNATURE', source: 'gateway', message: 'The security token included in the request is expired', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'bad signature', status: 403, errorType: 'InvalidSignatureException', body: { message: 'The request signature we calculated does not match the signature you provided.' }, code: 'EXPIRED_SIGNATURE', source: 'gateway', message: 'The request signature we calculated does not match the signature you provided.', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'backend 404 text', status: 404, body: 'Order with ID 12311231 not found', code: 'NOT_FOUND', source: 'backend', message: 'Order with ID 12311231 not found', outcome: 'failed', transient: false, retry: [false, false] },
  { name: '405', status: 405, body: 'Method PATCH not allowed', code: 'METHOD_NOT_ALLOWED', source: 'backend', message: 'Method PATCH not allowed', outcome: 'failed', transient: false, retry: [false, false] },
  { name: '409 JSON', status: 409, body: { message: 'Order 4711 already exists' }, code: 'CONFLICT', source: 'backend', message: 'Order 4711 already exists', outcome: 'failed', transient: false, retry: [false, false] },
  { name: '413 plain text', status: 413, body: 'HTTP content length exceeded 10485760 bytes.', code: 'REQUEST_TOO_LARGE', source: 'gateway', message: 'HTTP content length exceeded 10485760 bytes.', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: '415', status: 415, errorType: 'UnsupportedMediaTypeException', body: { message: 'Unsupported Media Type' }, code: 'UNSUPPORTED_MEDIA_TYPE', source: 'gateway', message: 'Unsupported Media Type', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: 'throttled', status: 429, errorType: 'TooManyRequestsException', body: { message: 'Too Many Requests' }, code: 'THROTTLED', source: 'gateway', message: 'Too Many Requests', outcome: 'not-executed', transient: true, retry: [true, true] },
  { name: 'bare 429', status: 429, code: 'THROTTLED', source: 'backend', message: 'HTTP 429 Too Many Requests', outcome: 'not-executed', transient: true, retry: [true, true] },
  { name: 'quota used up', status: 429, errorType: 'LimitExceededException', body: { message: 'Limit Exceeded' }, code: 'QUOTA_EXCEEDED', source: 'gateway', message: 'Limit Exceeded', outcome: 'not-executed', transient: false, retry: [false, false] },
  { name: '500', status: 500, errorType: 'InternalServerErrorException', body: { message: 'Internal server error' }, code: 'INTERNAL', source: 'gateway', message: 'Internal server error', outcome: 'unknown', transient: true, retry: [true, false] },
  { name: '501', status: 501, body: 'Not implemented yet', code: 'NOT_IMPLEMENTED', source: 'backend', message: 'Not implemented yet', outcome: 'failed', transient: false, retry: [false, false] },
  { name: '502 from a failing Lambda', status: 502, errorType: 'InternalServerErrorException', body: { message: 'Internal server error' }, code: 'BAD_GATEWAY', source: 'gateway', message: 'Internal server error', outcome: 'unknown', transient: true, retry: [true, false] },
  { name: '503', status: 503, body: { message: 'Service Unavailable' }, code: 'SERVICE_UNAVAILABLE', source: 'gateway', message: 'Service Unavailable', outcome: 'unknown', transient: true, retry: [true, false] },
  { name: '504, no error type', status: 504, body: { message: 'Endpoint request timed out' }, code: 'INTEGRATION_TIMEOUT', source: 'gateway', message: 'Endpoint request timed out', outcome: 'unknown', transient: true, retry: [true, false] },
  { name: '504 IntegrationTimeout', status: 504, errorType: 'IntegrationTimeout', body: { message: 'Endpoint request timed out' }, code: 'INTEGRATION_TIMEOUT', source: 'gateway', message: 'Endpoint request timed out', outcome: 'unknown', transient: true, retry: [true, false] },
  { name: '422 other 4xx', status: 422, body: { message: 'sku: unknown' }, code: 'HTTP_ERROR', source: 'backend', message: 'sku: unknown', outcome: 'failed', transient: false, retry: [false, false] },
  { name: '408', status: 408, code: 'HTTP_ERROR', source: 'backend', message: 'HTTP 408 Request Timeout', outcome: 'not-executed', transient: true, retry: [false, false] },
  { name: '507 other 5xx', status: 507, body: 'disk full', code: 'HTTP_ERROR', source: 'backend', message: 'disk full', outcome: 'unknown', transient: true, retry: [true, false] },
];

/** Every shape a JSON body arrives in: parsed (axios), text (fetch), bytes (Node streams). */
const JSON_FORMS: ReadonlyArray<[string, (body: object) => unknown]> = [
  ['object', (body) => body],
  ['JSON text', (body) => JSON.stringify(body)],
  ['Buffer', (body) => Buffer.from(JSON.stringify(body))],
  ['ArrayBuffer', (body) => new TextEncoder().encode(JSON.stringify(body)).buffer],
];

function build(row: Row, method: string, bodyForm: (body: object) => unknown = (body) => body): QuivoError {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (row.errorType) headers['x-amzn-ErrorType'] = row.errorType;
  const body = typeof row.body === 'object' ? bodyForm(row.body) : row.body;
  return toQuivoError({ status: row.status, statusText: row.statusText, headers, body, method, url: 'https://api.quivo.com/orders' });
}

describe('toQuivoError: the error table', () => {
  describe.each(JSON_FORMS)('JSON bodies as %s', (_form, bodyForm) => {
    it.each(ROWS)('$name -> $code', (row) => {
      const error = build(row, 'GET', bodyForm);
      expect(error).toBeInstanceOf(QuivoError);
      expect({ code: error.code, source: error.source, message: error.message, status: error.status }).toEqual({
        code: row.code,
        source: row.source,
        message: row.message,
        status: row.status,
      });
    });
  });

  it.each(ROWS)('$name: outcome $outcome, transient $transient, retryable GET/POST $retry', (row) => {
    const [get, post] = [build(row, 'GET'), build(row, 'post')];
    expect([get.outcome, get.transient, get.retryable, post.retryable]).toEqual([row.outcome, row.transient, ...row.retry]);
    expect(post.method).toBe('POST');
  });

  it('reads x-amzn-ErrorType in any case, from Headers, AxiosHeaders-like objects and arrays', () => {
    const body = { message: 'Too Many Requests' };
    const forms = [
      new Headers({ 'X-Amzn-ErrorType': 'LimitExceededException' }),
      { 'X-AMZN-ERRORTYPE': 'LimitExceededException' },
      { 'x-amzn-errortype': ['LimitExceededException', 'TooManyRequestsException'] },
      { get: (name: string) => (name.toLowerCase() === 'x-amzn-errortype' ? 'LimitExceededException' : undefined) },
      [['x-amzn-errortype', 'LimitExceededException']] as Array<[string, string]>,
    ];
    for (const headers of forms) expect(toQuivoError({ status: 429, headers, body }).code).toBe('QUOTA_EXCEEDED');
  });

  it('takes the error type after `#`, as the AWS SDKs do', () => {
    const error = toQuivoError({ status: 400, headers: { 'x-amzn-errortype': 'aws.protocoltests#FooError:http://internal.amazon.com/' } });
    expect(error.gatewayErrorType).toBe('FooError');
  });

  it('keeps the request id: x-amzn-RequestId first, apigw-requestid as fallback', () => {
    expect(toQuivoError({ status: 500, headers: { 'x-amzn-RequestId': 'c6af9ac6-7b61', 'apigw-requestid': 'Xyz=' } }).requestId).toBe('c6af9ac6-7b61');
    expect(toQuivoError({ status: 500, headers: { 'Apigw-Requestid': 'NcG3MjnBIAMEVbw=' } }).requestId).toBe('NcG3MjnBIAMEVbw=');
  });

  it('gives a failing authorizer\'s {"message":null} the status text', () => {
    const error = toQuivoError({ status: 401, statusText: 'Unauthorized', headers: { 'x-amzn-errortype': 'UnauthorizedException' }, body: '{"message":null}' });
    expect(error.message).toBe('Unauthorized');
  });

  it('turns a CloudFront error page into its title, not markup', () => {
    const page = [
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
      '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">',
      '<TITLE>ERROR: The request could not be satisfied</TITLE>',
      '</HEAD><BODY><H1>502 ERROR</H1><H2>The request could not be satisfied.</H2></BODY></HTML>',
    ].join('\n');
    const error = toQuivoError({ status: 502, headers: { 'content-type': 'text/html' }, body: page });
    expect(error).toMatchObject({ code: 'BAD_GATEWAY', source: 'gateway', message: 'ERROR: The request could not be satisfied' });
  });

  it('reads a page without a title by its text', () => {
    const error = toQuivoError({ status: 503, body: '<html><body><h1>Down for maintenance</h1>\n<p>Back at 10:00 &amp; later</p></body></html>' });
    expect(error.message).toBe('Down for maintenance Back at 10:00 & later');
  });

  it('collapses whitespace and caps a megabyte text body', () => {
    const error = toQuivoError({ status: 500, body: `  boom\n\n\tbang ${'x'.repeat(2_000_000)}` });
    expect(error.message.startsWith('boom bang xxx')).toBe(true);
    expect(error.message.length).toBeLessThanOrEqual(1024);
    expect(typeof error.body === 'string' && error.body.length).toBeLessThanOrEqual(8192);
  });

  it('decodes invalid UTF-8 without failing', () => {
    const error = toQuivoError({ status: 400, body: new Uint8Array([0x4f, 0x6b, 0xff, 0xfe, 0x21]) });
    expect(error.message).toBe('Ok\uFFFD\uFFFD!');
  });

  it('falls back to a default message when there are no words at all', () => {
    for (const body of ['', '   ', null, undefined, new Uint8Array(0), {}]) {
      expect(toQuivoError({ status: 404, body }).message).toBe('HTTP 404 Not Found');
    }
  });

  it('prefers `message`, then `Message`, then a Lambda `errorMessage`', () => {
    expect(toQuivoError({ status: 403, body: { message: 'lower', Message: 'upper' } }).message).toBe('lower');
    expect(toQuivoError({ status: 403, body: { message: '', Message: 'upper' } }).message).toBe('upper');
    expect(toQuivoError({ status: 500, body: { errorMessage: 'Task timed out', errorType: 'Error' } }).message).toBe('Task timed out');
  });

  it('keeps a small JSON body as an object and a large one as cut text', () => {
    expect(toQuivoError({ status: 400, body: '{"message":"bad","field":"sku"}' }).body).toEqual({ message: 'bad', field: 'sku' });
    const large = toQuivoError({ status: 400, body: { message: 'bad', items: Array.from({ length: 5000 }, (_, i) => ({ sku: `SKU-${i}` })) } });
    expect(typeof large.body).toBe('string');
    expect((large.body as string).length).toBeLessThanOrEqual(8192);
    expect(large.message).toBe('bad');
  });

  it('classifies a status that is not an HTTP error status as HTTP_ERROR', () => {
    expect(toQuivoError({ status: 302, body: 'moved' })).toMatchObject({ code: 'HTTP_ERROR', status: 302, retryable: false });
  });
});
