import type { AttemptContext, AttemptResponse } from '../policy-types.js';

/** One answer of the fake Quivo used by the policy tests. */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer after this many ms (of the test's fake clock). */
  delayMs?: number;
}

export interface SentAttempt {
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
}

const json = { 'content-type': 'application/json' };

/** API Gateway's answers, as the simulator and production send them. */
export const answers = {
  ok: (body: unknown = { ok: true }): FakeAnswer => ({ status: 200, headers: json, body }),
  expired: (): FakeAnswer => ({ status: 401, headers: { ...json, 'x-amzn-ErrorType': 'UnauthorizedException' }, body: { message: 'The incoming token has expired' } }),
  unauthorized: (): FakeAnswer => ({ status: 401, headers: { ...json, 'x-amzn-ErrorType': 'UnauthorizedException' }, body: { message: 'Unauthorized' } }),
  throttled: (headers: Record<string, string> = {}): FakeAnswer => ({
    status: 429,
    headers: { ...json, 'x-amzn-ErrorType': 'TooManyRequestsException', ...headers },
    body: { message: 'Too Many Requests' },
  }),
  quota: (headers: Record<string, string> = {}): FakeAnswer => ({ status: 429, headers: { ...json, 'x-amzn-ErrorType': 'LimitExceededException', ...headers }, body: { message: 'Limit Exceeded' } }),
  timeout504: (): FakeAnswer => ({ status: 504, headers: json, body: { message: 'Endpoint request timed out' } }),
  unavailable: (): FakeAnswer => ({ status: 503, headers: json, body: { message: 'Service Unavailable' } }),
  notFound: (id: string): FakeAnswer => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: `Order with ID ${id} not found` }),
};

/**
 * A transport for policy tests: records what each attempt carried and answers from `handler`
 * after the answer's delay on the (fake) timers. It honours the attempt's signal as a real
 * client would: an abort rejects with the signal's reason.
 */
export function fakeTransport(handler: (sent: SentAttempt, index: number) => FakeAnswer | Error) {
  const sent: SentAttempt[] = [];
  function sender(method: string, url: string) {
    return (ctx: AttemptContext): Promise<AttemptResponse<FakeAnswer>> => {
      const attempt: SentAttempt = { method, url, attempt: ctx.attempt, headers: { ...ctx.headers } };
      sent.push(attempt);
      const answer = handler(attempt, sent.length - 1);
      return new Promise((resolve, reject) => {
        if (ctx.signal.aborted) return reject(ctx.signal.reason);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(ctx.signal.reason);
        };
        const finish = (): void => {
          ctx.signal.removeEventListener('abort', onAbort);
          if (answer instanceof Error) return reject(answer);
          resolve({ status: answer.status, headers: answer.headers ?? {}, body: answer.body, value: answer });
        };
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        const delayMs = answer instanceof Error ? 0 : (answer.delayMs ?? 0);
        // An answer without delay comes back on a microtask, so tests need not drive timers for it.
        if (delayMs === 0) queueMicrotask(finish);
        else timer = setTimeout(finish, delayMs);
      });
    };
  }
  return { sent, sender };
}
