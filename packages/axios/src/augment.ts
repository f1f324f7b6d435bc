import type { QuivoRequestOverrides } from '@quivo-resilience/core';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * Per-request controls of the Quivo policy installed by `attachQuivo`:
     * `{ retry: false }` one attempt only, `{ retryUnsafe: true }` retry a POST or PATCH whose
     * outcome is unknown, `{ auth: false }` no credentials and no refresh. Also accepted in
     * `axios.create({ quivo })` defaults, which axios merges into each request.
     */
    quivo?: QuivoRequestOverrides | undefined;
  }
}

/** The `quivo` field of an axios request config. */
export type QuivoAxiosOverrides = QuivoRequestOverrides;
