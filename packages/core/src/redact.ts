import { LIMITS, capText } from './limits.js';
import { REDACTED, redactUrl } from './redact-url.js';
import { isObjectLike, readProp, safeKeys } from './safe-read.js';
import { isSecretField } from './sensitive-names.js';

/** Removes credentials from texts of an error. */
export interface Redactor {
  scrub(text: string): string;
  /** `scrub`, then cut to `max`; a long text is only scrubbed as far as can be kept. */
  scrubCapped(text: string, max: number): string;
}

// Shorter values are too likely to be ordinary words or numbers of the message.
export const MIN_SECRET_LENGTH = 4;
const MAX_SECRETS = 64;

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,15}:\/\/[^\s"'<>`]{1,4096}/gi;
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const NAMES = 'access[_-]?token|id[_-]?token|refresh[_-]?token|session[_-]?token|api[_-]?key|x-api-key|passw(?:or)?d|pwd|client[_-]?secret|secret|x-amz-signature|x-amz-security-token|x-amz-credential|signature|token';
// `password=...` in a form body or a URL fragment of a message.
const FORM_PAIR = new RegExp(`\\b(${NAMES})=[^\\s&"',;<>]+`, 'gi');
// `"password": "..."` in JSON text that was too long or too broken to parse.
const JSON_PAIR = new RegExp(`"(${NAMES}|authorization|cookie)"\\s*:\\s*"(?:[^"\\\\]|\\\\.){0,4096}"`, 'gi');
// `Authorization: ...` as a header line in a message.
const HEADER_LINE = /\b(authorization|proxy-authorization|x-api-key|cookie|set-cookie|x-amz-security-token):[ \t]*[^\r\n]{1,4096}/gi;

/**
 * A redactor for the given secret values: every literal occurrence of them (and of their
 * URL-encoded form) becomes `[REDACTED]`, then whatever looks like a credential in any text
 * does too: credential query values in URLs, userinfo, `Bearer` tokens, JWTs,
 * `password=...` pairs, `"token": "..."` in JSON text and `Authorization:` header lines.
 * Scrubbing a scrubbed text changes nothing.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const literals = literalSecrets(secrets);
  const margin = Math.max(256, ...literals.map((secret) => secret.length));
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of literals) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // Cheap tests first: most messages contain none of these, and this runs on every failed attempt.
    if (out.includes('://')) out = out.replace(URL_IN_TEXT, (url) => redactUrl(url));
    if (/bearer/i.test(out)) out = out.replace(BEARER, `$1 ${REDACTED}`);
    if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    if (out.includes('=')) out = out.replace(FORM_PAIR, `$1=${REDACTED}`);
    if (out.includes('"')) out = out.replace(JSON_PAIR, `"$1":"${REDACTED}"`);
    if (out.includes(':')) out = out.replace(HEADER_LINE, `$1: ${REDACTED}`);
    return out;
  };
  return {
    scrub,
    scrubCapped: (text, max) => capText(scrub(text.length > max + margin ? text.slice(0, max + margin) : text), max),
  };
}

function literalSecrets(secrets: readonly string[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    found.add(secret);
    const encoded = safeEncode(secret);
    if (encoded !== secret) found.add(encoded);
    if (found.size >= MAX_SECRETS) break;
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...found].sort((a, b) => b.length - a.length);
}

function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The body a `QuivoError` keeps: texts scrubbed and cut to `LIMITS.bodyText`; objects and
 * arrays copied with credential keys' values replaced by `[REDACTED]` and their strings
 * scrubbed, kept as objects when they serialise within `LIMITS.bodyJson`, else as their
 * JSON text, cut. Cycles, getters that throw and Proxies that trap do not break it.
 */
export function redactBody(body: unknown, redactor: Redactor): unknown {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body.trim() === '' ? undefined : redactor.scrubCapped(body, LIMITS.bodyText);
  if (typeof body === 'number' || typeof body === 'boolean') return body;
  if (typeof body === 'bigint') return String(body);
  if (typeof body !== 'object') return undefined;
  const copy = new BodyCopy(redactor);
  const value = copy.value(body, 0);
  const json = safeStringify(value);
  if (json === undefined) return undefined;
  return !copy.truncated && json.length <= LIMITS.bodyJson ? value : capText(json, LIMITS.bodyText);
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** A bounded, redacted, JSON-shaped copy of a body. */
class BodyCopy {
  truncated = false;
  #nodes = 0;
  #chars = 0;
  readonly #seen = new Set<object>();
  readonly #redactor: Redactor;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  value(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.#string(value);
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'boolean' || value === null) return value;
    if (typeof value === 'bigint') return String(value);
    if (!isObjectLike(value) || typeof value === 'function') return undefined;
    if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (this.#seen.has(value)) return '[Circular]';
    if (depth >= LIMITS.walkDepth || ++this.#nodes > LIMITS.walkNodes || this.#chars > LIMITS.bodyJson) {
      this.truncated = true;
      return '…';
    }
    this.#seen.add(value);
    const copy = Array.isArray(value) ? this.#array(value, depth) : this.#record(value, depth);
    this.#seen.delete(value);
    return copy;
  }

  #string(text: string): string {
    const kept = this.#redactor.scrubCapped(text, Math.max(16, LIMITS.bodyJson - this.#chars));
    this.#chars += kept.length;
    return kept;
  }

  #array(array: readonly unknown[], depth: number): unknown[] {
    let length = 0;
    try {
      length = array.length;
    } catch {
      return [];
    }
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) {
      if (this.#chars > LIMITS.bodyJson || i >= LIMITS.walkNodes) {
        this.truncated = true;
        break;
      }
      out.push(this.value(readProp(array, i), depth + 1) ?? null);
    }
    return out;
  }

  #record(record: object, depth: number): Record<string, unknown> {
    const entries: Array<[string, unknown]> = [];
    for (const key of safeKeys(record, LIMITS.walkNodes)) {
      if (this.#chars > LIMITS.bodyJson) {
        this.truncated = true;
        break;
      }
      this.#chars += key.length;
      const value = isSecretField(key) ? REDACTED : this.value(readProp(record, key), depth + 1);
      if (value !== undefined) entries.push([this.#redactor.scrubCapped(key, 256), value]);
    }
    // fromEntries defines properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(entries);
  }
}
