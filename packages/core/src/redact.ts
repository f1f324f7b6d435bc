import { capText } from './limits.js';
import { REDACTED, redactUrl } from './redact-url.js';

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
