import { describe, expectTypeOf, it } from 'vitest';
import { createQuivoPolicy } from '@quivo-resilience/core';
import { createQuivoFetch, quivoErrorFromResponse, quivoInit, type QuivoRequestInit } from '../src/index.js';
import type { QuivoError } from '@quivo-resilience/core';

describe('createQuivoFetch types', () => {
  it('returns exactly typeof fetch, from a policy or from options', () => {
    expectTypeOf(createQuivoFetch({ baseURL: 'https://api.quivo.example' })).toEqualTypeOf<typeof fetch>();
    expectTypeOf(createQuivoFetch(createQuivoPolicy({}), { throwHttpErrors: true })).toEqualTypeOf<typeof fetch>();
  });

  it('takes a QuivoRequestInit where fetch takes its init', () => {
    const quivoFetch = createQuivoFetch({ baseURL: 'https://api.quivo.example' });
    const init: QuivoRequestInit = { method: 'POST', quivo: { retryUnsafe: true, timeoutMs: 5000 } };
    expectTypeOf(quivoFetch('https://api.quivo.example/orders', init)).toEqualTypeOf<Promise<Response>>();
    // @ts-expect-error retry takes only `false` per request; counts belong to the policy
    const bad: QuivoRequestInit = { quivo: { retry: 3 } };
    void bad;
  });

  it('takes an object literal with quivo through quivoInit, and rejects it without', () => {
    const quivoFetch = createQuivoFetch({ baseURL: 'https://api.quivo.example' });
    void quivoFetch('https://api.quivo.example/orders', quivoInit({ method: 'POST', quivo: { retryUnsafe: true } }));
    // @ts-expect-error typeof fetch does not know `quivo` in a literal
    void quivoFetch('https://api.quivo.example/orders', { quivo: { retryUnsafe: true } });
  });

  it('quivoErrorFromResponse resolves a QuivoError', () => {
    expectTypeOf(quivoErrorFromResponse(new Response())).toEqualTypeOf<Promise<QuivoError>>();
  });
});
