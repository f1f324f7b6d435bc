/** A body that can be read once: a Node Readable (also `form-data`), or a web ReadableStream. */
export function isOneShotStream(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  // The same test axios uses for Node streams (`utils.isStream`).
  if (typeof (data as { pipe?: unknown }).pipe === 'function') return true;
  return typeof ReadableStream !== 'undefined' && data instanceof ReadableStream;
}

export function isBlob(data: unknown): data is Blob {
  return typeof Blob !== 'undefined' && data instanceof Blob;
}
