import { fetchUnderWrapper } from '../fetch-wrapper-mark.js';
import type { LoginResult } from '../policy-types.js';
import { toQuivoError } from '../to-quivo-error.js';

export interface BuiltInLoginSettings {
  base: URL;
  apiKey: string | undefined;
  credentials: { username: string; password: string };
  fetch: typeof fetch | undefined;
  now: () => number;
}

/**
 * Quivo's `POST /login`: the API key as `X-Api-Key`, `{ username, password }` as JSON, the
 * token in `Token` (or `token`). It calls fetch directly, never through a policy, so a login
 * can never be retried, refreshed or intercepted into a loop.
 */
export function builtInLogin(settings: BuiltInLoginSettings): (ctx: { signal: AbortSignal }) => Promise<LoginResult> {
  const url = new URL('login', settings.base.href.endsWith('/') ? settings.base : `${settings.base.href}/`).href;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (settings.apiKey !== undefined) headers['x-api-key'] = settings.apiKey;
  const body = JSON.stringify({ username: settings.credentials.username, password: settings.credentials.password });
  // A login endpoint may echo what it was sent; the errors made here must not carry it on.
  const secrets = [settings.credentials.password, ...(settings.apiKey === undefined ? [] : [settings.apiKey])];

  return async ({ signal }) => {
    const doFetch = unwrapped(settings.fetch ?? globalThis.fetch);
    let response: Response;
    try {
      // Never followed: a redirect would carry the API key and the password to wherever it points.
      response = await doFetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    } catch (cause) {
      throw toQuivoError({ method: 'POST', url, cause, secrets });
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      void response.body?.cancel();
      throw new TypeError(`login answered with a redirect (${response.status || 'opaque'}); it is not followed, so the credentials stay where they were sent`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw toQuivoError({ status: response.status, statusText: response.statusText, headers: response.headers, body: text, method: 'POST', url, secrets });
    }
    return readToken(text, settings.now());
  };
}

/**
 * `fetch`, or the fetch under it when it is a quivo wrapper (installed as `globalThis.fetch`,
 * or given as the policy's `fetch`): through a wrapper of this policy the login would wait for
 * itself, and through any wrapper it would be retried and given credentials.
 */
function unwrapped(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return fetchUnderWrapper(fetch)?.() ?? fetch;
}

function readToken(text: string, nowMs: number): LoginResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('login answered with a body that is not JSON');
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const token = record['Token'] ?? record['token'];
  if (typeof token !== 'string' || token === '') throw new TypeError('login answered without a token');
  const expiresIn = record['expiresIn'] ?? record['ExpiresIn'];
  return typeof expiresIn === 'number' && expiresIn > 0 ? { token, expiresAt: nowMs + expiresIn * 1000 } : token;
}
