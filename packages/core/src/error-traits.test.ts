import { describe, expect, it } from 'vitest';
import type { QuivoErrorCode, QuivoOutcome } from './error-types.js';
import { QuivoError } from './quivo-error.js';

// Errors the policy builds itself, without a response: the traits each code gets by default.
const DEFAULTS: ReadonlyArray<[QuivoErrorCode, QuivoOutcome, transient: boolean, get: boolean, post: boolean]> = [
  ['NETWORK', 'unknown', true, true, false],
  ['TIMEOUT', 'unknown', true, true, false],
  ['ABORTED', 'unknown', false, false, false],
  ['AUTH_FAILED', 'not-executed', false, false, false],
  ['NOT_REPLAYABLE', 'unknown', false, false, false],
  ['INVALID_OPTIONS', 'not-executed', false, false, false],
  ['THROTTLED', 'not-executed', true, true, true],
  ['QUOTA_EXCEEDED', 'not-executed', false, false, false],
  ['TOKEN_EXPIRED', 'failed', false, false, false],
  ['INTEGRATION_TIMEOUT', 'unknown', true, true, false],
  ['HTTP_ERROR', 'unknown', false, false, false],
];

describe('default traits by code', () => {
  it.each(DEFAULTS)('%s: outcome %s, transient %s, retryable GET %s / POST %s', (code, outcome, transient, get, post) => {
    const forGet = new QuivoError({ code, message: 'x', method: 'GET' });
    expect([forGet.outcome, forGet.transient, forGet.retryable]).toEqual([outcome, transient, get]);
    expect(new QuivoError({ code, message: 'x', method: 'POST' }).retryable).toBe(post);
  });

  it('an unknown method is not idempotent', () => {
    expect(new QuivoError({ code: 'INTERNAL', message: 'x', status: 500 }).retryable).toBe(false);
    expect(new QuivoError({ code: 'INTERNAL', message: 'x', status: 500, method: 'PUT' }).retryable).toBe(true);
  });

  it('a 4xx API Gateway wrote never ran; one the backend wrote failed', () => {
    expect(new QuivoError({ code: 'NOT_FOUND', message: 'x', status: 404, source: 'gateway' }).outcome).toBe('not-executed');
    expect(new QuivoError({ code: 'NOT_FOUND', message: 'x', status: 404, source: 'backend' }).outcome).toBe('failed');
  });
});
