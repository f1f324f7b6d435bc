import { isOneShotStream } from './body-kinds.js';

/**
 * The body every attempt of one logical request sends. axios has already run
 * `transformRequest`, so most bodies are final bytes (strings, Buffers, ArrayBuffers, Blobs)
 * that an adapter can send any number of times. Two kinds are not:
 * - a one-shot stream (Node Readable, the `form-data` package, a web ReadableStream): the
 *   second attempt would meet a drained stream, so the request gets one attempt;
 * - a spec FormData: each adapter call picks a fresh random boundary, so a replay would send
 *   different bytes. The global FormData is serialised once and every attempt sends those
 *   bytes; another implementation keeps one boundary, which axios's http adapter honours.
 */
export interface ReplayBody {
  readonly data: unknown;
  /** Content-Type every attempt sends instead of the config's, when the body fixed one. */
  readonly contentType?: string;
  /** Why the body cannot be sent twice, when it cannot. */
  readonly notReplayable?: string;
}

/** Reason handed to the policy for a body that cannot be sent twice. */
export const STREAM_BODY_REASON = 'request body is a stream';

/** The replay body; a promise only for a global FormData, whose bytes are read asynchronously. */
export function prepareReplayBody(data: unknown): ReplayBody | Promise<ReplayBody> {
  if (isOneShotStream(data)) return { data, notReplayable: STREAM_BODY_REASON };
  if (!isSpecFormData(data)) return { data };
  if (typeof FormData !== 'undefined' && typeof Response !== 'undefined' && data instanceof FormData) {
    // Response serialises a FormData exactly as fetch would send it, boundary included.
    const encoded = new Response(data);
    const contentType = encoded.headers.get('content-type');
    if (contentType !== null) return encoded.arrayBuffer().then((bytes) => ({ data: bytes, contentType }));
  }
  return { data, contentType: `multipart/form-data; boundary=${formBoundary()}` };
}

/** axios's own test for a spec-compliant FormData (`utils.isSpecCompliantForm`). */
function isSpecFormData(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const form = data as { append?: unknown; [Symbol.toStringTag]?: unknown; [Symbol.iterator]?: unknown };
  return typeof form.append === 'function' && form[Symbol.toStringTag] === 'FormData' && typeof form[Symbol.iterator] === 'function';
}

/** axios's http adapter takes a boundary of 10 to 70 `[-_\w]` characters from the Content-Type. */
function formBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `quivo-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
