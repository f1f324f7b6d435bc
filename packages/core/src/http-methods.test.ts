import { describe, expect, it } from 'vitest';
import { isIdempotentMethod, normalizeMethod } from './http-methods.js';

describe('isIdempotentMethod', () => {
  it('is true for GET, HEAD, OPTIONS, PUT and DELETE in any case', () => {
    for (const method of ['GET', 'head', 'Options', 'PUT', 'delete']) expect(isIdempotentMethod(method)).toBe(true);
  });

  it('is false for POST, PATCH and anything unknown or missing', () => {
    for (const method of ['POST', 'patch', 'CONNECT', 'TRACE ', '', undefined, null]) expect(isIdempotentMethod(method)).toBe(false);
  });
});

describe('normalizeMethod', () => {
  it('upper-cases a method and drops what is not one', () => {
    expect(normalizeMethod('post')).toBe('POST');
    expect(normalizeMethod('M-SEARCH')).toBe('M-SEARCH');
    for (const junk of ['', 'not a method', 'GET\r\nX: y', 42, undefined]) expect(normalizeMethod(junk)).toBeUndefined();
  });
});
