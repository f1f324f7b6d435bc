import axios, { type AxiosRequestConfig } from 'axios';
import { describe, expectTypeOf, it } from 'vitest';
import type { QuivoAxiosOverrides } from './index.js';

describe('the quivo field of an axios config', () => {
  it('takes the per-request overrides, on requests and on instance defaults', () => {
    expectTypeOf<AxiosRequestConfig['quivo']>().toEqualTypeOf<QuivoAxiosOverrides | undefined>();
    expectTypeOf(axios.get).toBeCallableWith('/orders', { quivo: { retry: false } });
    expectTypeOf(axios.create).toBeCallableWith({ quivo: { retryUnsafe: true } });
    expectTypeOf(axios.post).toBeCallableWith('/orders', {}, { quivo: { auth: false } });
  });

  it('refuses values the policy would ignore', () => {
    // @ts-expect-error retry can only be turned off per request
    expectTypeOf(axios.get).toBeCallableWith('/orders', { quivo: { retry: true } });
    // @ts-expect-error auth can only be turned off per request
    expectTypeOf(axios.get).toBeCallableWith('/orders', { quivo: { auth: true } });
  });
});
