import { LIMITS, capText } from './limits.js';
import type { Redactor } from './redact.js';
import { REDACTED } from './redact-url.js';
import { isObjectLike, readProp, safeKeys } from './safe-read.js';
import { isSecretField } from './sensitive-names.js';

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
  let value: unknown;
  try {
    value = copy.value(body, 0);
  } catch {
    // A revoked Proxy throws even on Array.isArray; such a body is simply not kept.
    return undefined;
  }
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
