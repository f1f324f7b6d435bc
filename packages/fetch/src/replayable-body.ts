/** The reason given when a request's body can be sent only once. */
export const STREAM_BODY_REASON = 'request body is a stream';

/**
 * Why `body` can be sent only once, or undefined when it can be serialised and replayed.
 * A stream (and the async iterables Node's fetch also accepts) is consumed by its first send.
 * Duck-typed, so streams from another realm or a polyfill count too.
 */
export function oneShotBodyReason(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (typeof (body as { getReader?: unknown }).getReader === 'function') return STREAM_BODY_REASON;
  if (Symbol.asyncIterator in body) return STREAM_BODY_REASON;
  return undefined;
}

/**
 * Reads a request's body to bytes once. Every attempt then sends these bytes, so a replay is
 * byte-identical whatever the body was: a FormData keeps its first multipart boundary, a
 * URLSearchParams or Uint8Array the caller changes later is not re-read. The request's headers
 * already carry the content type the runtime gave the body (boundary included).
 */
export async function readReplayableBytes(request: Request): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.body === null) return undefined;
  return new Uint8Array(await request.arrayBuffer());
}
