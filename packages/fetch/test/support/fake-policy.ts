import { toQuivoError, type ExecuteResult, type PolicyRequest, type QuivoPolicy, type SendAttempt } from '@quivo-resilience/core';

export interface FakePolicy extends QuivoPolicy {
  /** Every PolicyRequest handed to `execute`, as handed. */
  readonly requests: PolicyRequest[];
}

const noopDisposer = Object.assign(() => {}, { dispose() {} });

/**
 * A test-only stand-in for the real policy, for pure translation tests: it sends credentials
 * `X-Api-Key: fake-key` and `Authorization: token-<attempt>` to `baseURL`, and calls `send`
 * again, at once, while the status is in `retryOn` (unless the request forbids replays).
 */
export function createFakePolicy(baseURL: string, script: { retryOn?: number[]; maxAttempts?: number } = {}): FakePolicy {
  const { retryOn = [503], maxAttempts = 3 } = script;
  const origin = new URL(baseURL).origin;
  const requests: PolicyRequest[] = [];
  return {
    requests,
    options: { baseURL },
    appliesTo: (url) => new URL(url).origin === origin,
    async execute<T>(request: PolicyRequest, send: SendAttempt<T>): Promise<ExecuteResult<T>> {
      requests.push(request);
      for (let attempt = 1; ; attempt += 1) {
        const headers = request.auth === false ? {} : { 'X-Api-Key': 'fake-key', Authorization: `token-${attempt}` };
        const response = await send({ attempt, headers, signal: request.signal ?? new AbortController().signal, timeoutMs: 30_000, callerSignal: request.signal });
        const replayable = request.notReplayable === undefined && request.retry !== false;
        if (retryOn.includes(response.status) && attempt < maxAttempts && replayable) {
          response.discard?.();
          continue;
        }
        const body = response.status >= 400 ? await response.readBody?.() : undefined;
        const error = response.status >= 400 ? toQuivoError({ status: response.status, headers: response.headers, body, method: request.method, url: request.url }) : undefined;
        return { value: response.value, status: response.status, attempts: attempt, error };
      }
    },
    onRetry: () => noopDisposer,
    onRefresh: () => noopDisposer,
    onThrottle: () => noopDisposer,
    onGiveUp: () => noopDisposer,
    close() {},
  };
}
