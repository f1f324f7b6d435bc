/**
 * Reads `key` from a value that came from outside (a caller's error, a client's response):
 * getters may throw and Proxies may trap, and classifying a failure must never fail itself.
 */
export function readProp(value: unknown, key: PropertyKey): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `readProp` narrowed to a string; other types read as absent. */
export function readString(value: unknown, key: PropertyKey): string | undefined {
  const read = readProp(value, key);
  return typeof read === 'string' ? read : undefined;
}

/** True for objects (and functions) whose properties can be read. */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Own enumerable string keys, or none when the object refuses to list them (a trapping Proxy). */
export function safeKeys(value: object, max: number): string[] {
  try {
    const keys = Object.keys(value);
    return keys.length > max ? keys.slice(0, max) : keys;
  } catch {
    return [];
  }
}
