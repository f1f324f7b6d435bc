import type { AxiosRequestConfig, CancelToken, GenericAbortSignal } from 'axios';

/**
 * What the request interceptor takes off axios's config copy and holds for the adapter: the
 * adapter it replaces, and the caller's cancellation. axios checks `signal` and `cancelToken`
 * itself after the adapter settles and would turn our `ABORTED` QuivoError into its own
 * CanceledError; holding them here leaves the policy the only one to answer an abort.
 */
export interface HeldRequest {
  readonly adapter: AxiosRequestConfig['adapter'];
  readonly signal: GenericAbortSignal | undefined;
  readonly cancelToken: CancelToken | undefined;
}
