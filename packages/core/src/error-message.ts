import type { QuivoErrorCode } from './error-types.js';
import { LIMITS } from './limits.js';
import { readProp } from './safe-read.js';

/** What a JSON error body says and in which key; `key` is set even when its value is `null`. */
export interface JsonMessage {
  readonly message?: string;
  readonly key?: 'message' | 'Message';
}

/**
 * The server's words in a JSON body: `message` (API Gateway, most backends), else `Message`
 * (IAM and authorizer denials), else the `errorMessage` of a Lambda error or a string `error`.
 * Empty and non-string values do not count, but a `"message": null` (a failing authorizer)
 * is still reported by its key, which marks the body as API Gateway's.
 */
export function jsonMessage(json: object): JsonMessage {
  const lower = readProp(json, 'message');
  const upper = readProp(json, 'Message');
  const key = lower !== undefined ? 'message' : upper !== undefined ? 'Message' : undefined;
  const nested = readProp(json, 'error');
  const message = [lower, upper, readProp(json, 'errorMessage'), nested, readProp(nested, 'message')]
    .find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return { ...(message === undefined ? {} : { message: oneLine(message) }), ...(key === undefined ? {} : { key }) };
}

/** A text body as a one-line message: an HTML page gives its title or its first text. */
export function textMessage(text: string): string | undefined {
  const line = isHtml(text) ? htmlText(text) : oneLine(text);
  return line === '' ? undefined : line;
}

export function isHtml(text: string): boolean {
  return /^\s*<(?:!doctype\s+html|html|head|body|title)\b/i.test(text) || /<html[\s>]/i.test(text.slice(0, 1024));
}

// Enough of an error page for a one-line message; bounded patterns keep this linear.
const HTML_SCAN = 8192;

function htmlText(html: string): string {
  const head = html.slice(0, HTML_SCAN);
  const title = /<title[^>]{0,200}>([^<]{1,1024})<\/title/i.exec(head)?.[1];
  const fromTitle = title === undefined ? '' : oneLine(decodeEntities(title));
  if (fromTitle !== '') return fromTitle;
  const stripped = head
    .replace(/<(script|style)\b[^>]{0,500}>[\s\S]{0,8192}?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]{0,2000}>/g, ' ');
  return oneLine(decodeEntities(stripped));
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
    const point = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
  });
}

/** Trimmed, whitespace runs collapsed; only the first part of a long text is looked at. */
export function oneLine(text: string): string {
  const head = text.length > LIMITS.message * 4 ? text.slice(0, LIMITS.message * 4) : text;
  return head.replace(/\s+/g, ' ').trim();
}

/** RFC 9110 reason phrases of the statuses a Quivo client meets. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const CODE_MESSAGES: Partial<Record<QuivoErrorCode, string>> = {
  NETWORK: 'Network error',
  TIMEOUT: 'Request timed out',
  ABORTED: 'Request aborted',
  AUTH_FAILED: 'Login failed',
  NOT_REPLAYABLE: 'The request body cannot be sent again',
  INVALID_OPTIONS: 'Invalid options',
  LIMITER_FAILED: 'The rate limiter failed',
};

/** The message when the server gave no words: `HTTP 401 Unauthorized`, or one per code. */
export function defaultMessage(code: QuivoErrorCode, status: number | undefined): string {
  if (status !== undefined) return `HTTP ${status}${REASONS[status] === undefined ? '' : ` ${REASONS[status]}`}`;
  return CODE_MESSAGES[code] ?? 'Request failed';
}
