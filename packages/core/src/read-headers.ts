import { isObjectLike, readProp, safeKeys } from './safe-read.js';

// Header collections are small; a bigger one is junk and is not scanned to its end.
const MAX_HEADERS = 1000;

/**
 * Reads one header, matching its name case-insensitively, from whatever a client hands over:
 * a plain object (any case), a `Headers`, an AxiosHeaders or other object with `get()`, a
 * `Map`, or an iterable of `[name, value]` pairs. An array value gives its first element,
 * numbers and booleans read as text, `null`/`undefined` as absent. Never throws.
 */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (!isObjectLike(headers)) return undefined;
  const wanted = name.toLowerCase();
  return viaGet(headers, name, wanted) ?? viaIterator(headers, wanted) ?? viaKeys(headers, wanted);
}

/** `Headers` and AxiosHeaders match case-insensitively themselves; a `Map` only by exact name. */
function viaGet(headers: object, name: string, wanted: string): string | undefined {
  const get = readProp(headers, 'get');
  if (typeof get !== 'function') return undefined;
  try {
    return headerValue(get.call(headers, wanted)) ?? (name === wanted ? undefined : headerValue(get.call(headers, name)));
  } catch {
    return undefined;
  }
}

function viaIterator(headers: object, wanted: string): string | undefined {
  const iterate = readProp(headers, Symbol.iterator);
  if (typeof iterate !== 'function') return undefined;
  try {
    let seen = 0;
    for (const entry of iterate.call(headers) as Iterable<unknown>) {
      if (++seen > MAX_HEADERS) break;
      if (!Array.isArray(entry)) continue;
      const key: unknown = entry[0];
      if (typeof key === 'string' && key.toLowerCase() === wanted) return headerValue(entry[1]);
    }
  } catch {
    // A broken iterator: the header is simply not found.
  }
  return undefined;
}

function viaKeys(headers: object, wanted: string): string | undefined {
  for (const key of safeKeys(headers, MAX_HEADERS)) {
    if (key.toLowerCase() === wanted) {
      const value = headerValue(readProp(headers, key));
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    // Multi-valued headers: the first value, as the AWS SDKs read `x-amzn-ErrorType`.
    const first = readProp(value, 0);
    return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
  }
  return undefined;
}

/**
 * Every `[name, value]` of a header collection (`Headers`, AxiosHeaders, `Map`, pairs or a
 * plain object), for finding credentials among them. Bounded and never throws.
 */
export function headerEntries(headers: unknown): Array<[name: string, value: string]> {
  if (!isObjectLike(headers)) return [];
  const entries: Array<[string, string]> = [];
  const add = (key: unknown, raw: unknown): void => {
    if (typeof key !== 'string') return;
    // Every value of a multi-valued header, since any of them may be a credential.
    const values = Array.isArray(raw) ? Array.from({ length: Math.min(safeLength(raw), 16) }, (_, i) => readProp(raw, i)) : [raw];
    for (const value of values.map(headerValue)) if (value !== undefined) entries.push([key, value]);
  };
  const iterate = readProp(headers, Symbol.iterator);
  if (typeof iterate === 'function') {
    try {
      for (const entry of iterate.call(headers) as Iterable<unknown>) {
        if (entries.length >= MAX_HEADERS) break;
        if (Array.isArray(entry)) add(readProp(entry, 0), readProp(entry, 1));
      }
    } catch {
      // Keep what was read before the iterator broke.
    }
  }
  // AxiosHeaders and plain objects hold their headers as own keys.
  for (const key of safeKeys(headers, MAX_HEADERS)) add(key, readProp(headers, key));
  return entries;
}

function safeLength(array: readonly unknown[]): number {
  const length = readProp(array, 'length');
  return typeof length === 'number' ? length : 0;
}
