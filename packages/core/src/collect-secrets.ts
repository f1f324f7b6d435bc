import { LIMITS } from './limits.js';
import { readBody } from './read-body.js';
import { headerEntries } from './read-headers.js';
import { decodeComponent, queryPairs, splitUrl } from './redact-url.js';
import { isObjectLike, readProp, readString, safeKeys } from './safe-read.js';
import { isSecretField, isSecretQueryParam } from './sensitive-names.js';

/** Where credentials of a failed exchange may sit. */
export interface SecretSources {
  readonly headers: readonly unknown[];
  readonly urls: readonly unknown[];
  /** Bodies in any shape: objects, JSON or form text, bytes. */
  readonly bodies: readonly unknown[];
  /** Values known to be secret. */
  readonly values: readonly unknown[];
}

// A token's parts (`Bearer <token>`, cookie values) count only when this long, or they would be common words.
const MIN_PART_LENGTH = 8;

/**
 * The secret values present in an exchange, so they can be scrubbed from every text of the
 * error: credential headers (and the token after `Bearer `, the password inside `Basic`,
 * each cookie value), URL userinfo and credential query values (raw and decoded), and the
 * values of credential keys (`password`, `token`, `apiKey`...) in bodies.
 */
export function collectSecrets(sources: SecretSources): string[] {
  const found = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'number') value = String(value);
    if (typeof value === 'string' && value.trim() !== '' && found.size < 256) found.add(value.trim());
  };
  // Each source on its own: one that breaks (a trapping Proxy) must not hide the others' secrets.
  const each = <T>(items: readonly T[], collect: (item: T) => void): void => {
    for (const item of items) {
      try {
        collect(item);
      } catch {
        // Nothing more to learn from this source.
      }
    }
  };
  each(sources.values, add);
  each(sources.headers, (headers) => {
    for (const [name, value] of headerEntries(headers)) if (isSecretField(name)) addHeaderSecret(value, add);
  });
  each(sources.urls, (url) => addUrlSecrets(url, add));
  each(sources.bodies, (body) => addBodySecrets(body, add));
  return [...found];
}

function addHeaderSecret(value: string, add: (value: unknown) => void): void {
  add(value);
  const parts = value.trim().split(/[\s,;]+/);
  // `Bearer <token>`, `AWS4-HMAC-SHA256 Credential=...`: a first word without `=` is the scheme, not a secret.
  const scheme = parts.length > 1 && !parts[0]?.includes('=');
  for (const part of scheme ? parts.slice(1) : parts) {
    const eq = part.indexOf('=');
    const token = eq >= 0 ? part.slice(eq + 1) : part;
    if (token.length >= MIN_PART_LENGTH) add(token);
  }
  const basic = /^\s*basic\s+([A-Za-z0-9+/=]{4,})/i.exec(value)?.[1];
  if (basic !== undefined) {
    const decoded = safeAtob(basic);
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded !== undefined && colon >= 0) {
      add(decoded.slice(0, colon));
      add(decoded.slice(colon + 1));
    }
  }
}

function safeAtob(text: string): string | undefined {
  try {
    return typeof atob === 'function' ? atob(text) : undefined;
  } catch {
    return undefined;
  }
}

function addUrlSecrets(url: unknown, add: (value: unknown) => void): void {
  const text = typeof url === 'string' ? url : readString(url, 'href');
  if (text === undefined) return;
  const parts = splitUrl(text.length > LIMITS.url * 4 ? text.slice(0, LIMITS.url * 4) : text);
  if (parts.userinfo !== undefined) {
    for (const piece of parts.userinfo.split(':')) {
      add(piece);
      add(decodeComponent(piece));
    }
  }
  for (const query of [parts.query, parts.fragment]) {
    if (query === undefined) continue;
    for (const [name, value] of queryPairs(query)) {
      if (!isSecretQueryParam(name)) continue;
      add(value);
      add(decodeComponent(value));
    }
  }
}

function addBodySecrets(body: unknown, add: (value: unknown) => void): void {
  if (isObjectLike(body) && !ArrayBuffer.isView(body) && !(body instanceof ArrayBuffer)) {
    walk(body, add, 0, { nodes: 0 });
    return;
  }
  const read = readBody(body);
  if (read.json) walk(read.json, add, 0, { nodes: 0 });
  // A form body (`username=...&password=...`).
  else if (read.text !== undefined && /^[^\s=&]+=[^\s]*$/.test(read.text.slice(0, 4096))) addUrlSecrets(`?${read.text}`, add);
}

function walk(value: unknown, add: (value: unknown) => void, depth: number, budget: { nodes: number }): void {
  if (!isObjectLike(value) || depth > LIMITS.walkDepth || ++budget.nodes > LIMITS.walkNodes) return;
  for (const key of safeKeys(value, LIMITS.walkNodes)) {
    const child = readProp(value, key);
    if (isSecretField(key)) addLeaves(child, add, 0);
    else walk(child, add, depth + 1, budget);
  }
}

/** Every string and number under a credential key, e.g. both fields of `credentials: { username, password }`. */
function addLeaves(value: unknown, add: (value: unknown) => void, depth: number): void {
  if (typeof value === 'string' || typeof value === 'number') add(value);
  else if (isObjectLike(value) && depth < 3) for (const key of safeKeys(value, 32)) addLeaves(readProp(value, key), add, depth + 1);
}
