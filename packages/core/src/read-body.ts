import { LIMITS } from './limits.js';

/** A failed response's body, read once into the two shapes the classification needs. */
export interface BodyRead {
  /** A JSON object or array: the body as given, or parsed from its text. Not a copy. */
  readonly json?: object;
  /** The body as text (decoded, at most `LIMITS.parseChars` long) when it is not a JSON object or array. */
  readonly text?: string;
}

let utf8: TextDecoder | undefined;

/**
 * Reads a body of any shape without throwing: a parsed object or array, a JSON or plain
 * string, bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`, any view; UTF-8, invalid bytes
 * replaced), a number or boolean. Only the first `LIMITS.decodeBytes` bytes are decoded and
 * only texts within `LIMITS.parseChars` are parsed, so a megabyte body costs no more than a
 * small one. Streams, Blobs and other objects that cannot be read synchronously read as empty.
 */
export function readBody(body: unknown): BodyRead {
  try {
    if (body === null || body === undefined) return {};
    if (typeof body === 'string') return fromText(body);
    if (typeof body === 'number' || typeof body === 'boolean' || typeof body === 'bigint') return { text: String(body) };
    if (typeof body !== 'object') return {};
    const bytes = asBytes(body);
    if (bytes) return fromText(decode(bytes));
    if (Array.isArray(body)) return { json: body };
    const tag = Object.prototype.toString.call(body);
    if (tag === '[object Object]') return { json: body };
    if (tag === '[object URLSearchParams]') return fromText(String(body));
    return {};
  } catch {
    // A Proxy or exotic object that refuses inspection: the body is unknown, not an error.
    return {};
  }
}

function fromText(raw: string): BodyRead {
  const text = raw.length > LIMITS.parseChars ? raw.slice(0, LIMITS.parseChars) : raw;
  const trimmed = text.trim();
  if (trimmed === '') return {};
  // A cut text is never valid JSON; do not spend a parse on it.
  if (text.length === raw.length && /^[[{"]/.test(trimmed)) {
    const parsed = parseJson(trimmed);
    if (typeof parsed === 'object' && parsed !== null) return { json: parsed };
    if (typeof parsed === 'string') return parsed.trim() === '' ? {} : { text: parsed };
  }
  return { text };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asBytes(body: object): Uint8Array | undefined {
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
    return new Uint8Array(body as ArrayBuffer);
  }
  return undefined;
}

function decode(bytes: Uint8Array): string {
  const head = bytes.byteLength > LIMITS.decodeBytes ? bytes.subarray(0, LIMITS.decodeBytes) : bytes;
  utf8 ??= new TextDecoder('utf-8', { fatal: false });
  try {
    return utf8.decode(head);
  } catch {
    // Views over a SharedArrayBuffer are refused by some TextDecoders; copy them first.
    return utf8.decode(head.slice());
  }
}
