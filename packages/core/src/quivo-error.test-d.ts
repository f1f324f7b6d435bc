import { describe, expectTypeOf, it } from 'vitest';
import type { AttemptRecord, QuivoErrorCode, QuivoErrorInput, QuivoErrorSource, QuivoOutcome } from './error-types.js';
import { QuivoError, isQuivoError, type QuivoErrorInit, type QuivoErrorJSON } from './quivo-error.js';
import { toQuivoError } from './to-quivo-error.js';

describe('QuivoError types', () => {
  it('has literal name and typed, read-only fields', () => {
    const error = new QuivoError({ code: 'THROTTLED', message: 'Too Many Requests' });
    expectTypeOf(error.name).toEqualTypeOf<'QuivoError'>();
    expectTypeOf(error.code).toEqualTypeOf<QuivoErrorCode>();
    expectTypeOf(error.source).toEqualTypeOf<QuivoErrorSource>();
    expectTypeOf(error.outcome).toEqualTypeOf<QuivoOutcome>();
    expectTypeOf(error.status).toEqualTypeOf<number | undefined>();
    expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
    expectTypeOf(error.transient).toEqualTypeOf<boolean>();
    expectTypeOf(error.attempts).toEqualTypeOf<number>();
    expectTypeOf(error.trail).toEqualTypeOf<readonly AttemptRecord[]>();
    expectTypeOf(error.url).toEqualTypeOf<string | undefined>();
    expectTypeOf(error.cause).toEqualTypeOf<unknown>();
    expectTypeOf(error).toMatchTypeOf<Error>();
    // @ts-expect-error fields are read-only
    error.code = 'NETWORK';
  });

  it('is built from one init object, copied with withAttempts, serialised by toJSON', () => {
    expectTypeOf<ConstructorParameters<typeof QuivoError>>().toEqualTypeOf<[init: QuivoErrorInit]>();
    // @ts-expect-error a code outside the union
    new QuivoError({ code: 'TEAPOT', message: 'x' });
    expectTypeOf<QuivoError['withAttempts']>().toEqualTypeOf<(attempts: number, trail: readonly AttemptRecord[]) => QuivoError>();
    expectTypeOf<ReturnType<QuivoError['toJSON']>>().toEqualTypeOf<QuivoErrorJSON>();
  });

  it('toQuivoError takes the input shape and returns a QuivoError', () => {
    expectTypeOf(toQuivoError).parameter(0).toEqualTypeOf<QuivoErrorInput>();
    expectTypeOf(toQuivoError({ status: 504 })).toEqualTypeOf<QuivoError>();
    toQuivoError({ headers: new Headers(), body: new Uint8Array(), url: new URL('https://api.quivo.com'), cause: new Error('x') });
  });

  it('isQuivoError narrows unknown', () => {
    const value: unknown = null;
    if (isQuivoError(value)) expectTypeOf(value).toEqualTypeOf<QuivoError>();
    else expectTypeOf(value).toEqualTypeOf<unknown>();
  });
});
