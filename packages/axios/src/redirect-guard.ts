import type { AttemptContext } from '@quivo-resilience/core';
import type { InternalAxiosRequestConfig } from 'axios';

export type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

/**
 * A `beforeRedirect` for axios's http adapter, which follows redirects inside one adapter call.
 * When a hop turns the request into a GET (a 303, or a 301/302 after a POST), the request has
 * run where it was sent: it tells the attempt, so a POST whose next hop is throttled or refused
 * is not sent again (a 307/308 sends the same request on, and leaves that to the next answer).
 * It also drops the attempt's credentials when a
 * redirect leaves the Quivo origin: follow-redirects already drops `Authorization` on a change
 * of host, but not `X-Api-Key`. The caller's own `beforeRedirect` still runs, after ours.
 */
export function redirectGuard(
  attempt: Pick<AttemptContext, 'markRedirected'>,
  method: string,
  credentialNames: readonly string[],
  staysOnQuivo: (url: string) => boolean,
  callerHook: BeforeRedirect | undefined,
): BeforeRedirect {
  // axios hands this hook the next request's options only, so the method before it is kept here.
  let previousMethod = method.toUpperCase();
  return function guardRedirect(options, ...details) {
    const nextMethod = typeof options['method'] === 'string' ? options['method'].toUpperCase() : previousMethod;
    if (nextMethod !== previousMethod) attempt.markRedirected?.();
    previousMethod = nextMethod;
    const href: unknown = options['href'];
    const headers: unknown = options['headers'];
    if (credentialNames.length > 0 && typeof headers === 'object' && headers !== null && (typeof href !== 'string' || !staysOnQuivo(href))) {
      // Made here, on a redirect, not for every attempt: most attempts are never redirected.
      const names = new Set(credentialNames.map((name) => name.toLowerCase()));
      const target = headers as Record<string, unknown>;
      for (const name of Object.keys(target)) if (names.has(name.toLowerCase())) delete target[name];
    }
    callerHook?.(options, ...details);
  };
}
