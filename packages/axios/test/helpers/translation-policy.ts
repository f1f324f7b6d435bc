import { toQuivoError } from '@quivo-resilience/core';
import type { AttemptResponse, ExecuteResult, PolicyRequest, QuivoPolicy, SendAttempt } from '@quivo-resilience/core';

export interface TranslationPolicy extends QuivoPolicy {
  /** Every request the adapter handed over, as handed over. */
  readonly requests: PolicyRequest[];
  /** How many attempts each request gets (the same request sent again, as a retry would). */
  attemptsPerRequest: number;
}

/**
 * A stand-in policy for tests of the translation alone (what attachQuivo hands to `execute` and
 * how it turns the result into an axios answer): it sends each request `attemptsPerRequest`
 * times with a fixed credential and keeps the last response. Behaviour tests use the real policy.
 */
export function translationPolicy(baseURL: string): TranslationPolicy {
  const requests: PolicyRequest[] = [];
  const noop = Object.assign(() => {}, { dispose: () => {} });
  const policy: TranslationPolicy = {
    requests,
    attemptsPerRequest: 1,
    options: Object.freeze({ baseURL }),
    appliesTo: (url) => url.startsWith(`${baseURL}/`),
    async execute<T>(request: PolicyRequest, send: SendAttempt<T>): Promise<ExecuteResult<T>> {
      requests.push(request);
      const controller = new AbortController();
      let response: AttemptResponse<T> | undefined;
      for (let attempt = 1; attempt <= policy.attemptsPerRequest; attempt++) {
        response?.discard?.();
        response = await send({ attempt, headers: { Authorization: 'translation-token' }, signal: controller.signal, timeoutMs: request.timeoutMs ?? 30_000, callerSignal: request.signal });
      }
      if (response === undefined) throw new Error('attemptsPerRequest must be at least 1');
      const result: ExecuteResult<T> = { value: response.value, status: response.status, attempts: policy.attemptsPerRequest };
      if (response.status >= 400) {
        result.error = toQuivoError({ status: response.status, headers: response.headers, body: response.body, method: request.method, url: request.url });
      }
      return result;
    },
    onRetry: () => noop,
    onRefresh: () => noop,
    onThrottle: () => noop,
    onGiveUp: () => noop,
    close: () => {},
  };
  return policy;
}
