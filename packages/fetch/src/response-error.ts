import { toQuivoError, type QuivoError } from '@quivo-resilience/core';
import { QUIVO_FETCH_DEFAULTS } from './quivo-fetch-options.js';

/**
 * The error the policy classified for each Response a quivo fetch resolved with, so
 * `quivoErrorFromResponse` returns it (attempts and trail included) without a second read.
 * A WeakMap: nothing is stored on the caller's Response, and nothing outlives it.
 */
const classifiedResponses = new WeakMap<Response, QuivoError>();

export function rememberClassification(response: Response, error: QuivoError): void {
  classifiedResponses.set(response, error);
}

/** What is known about the request that got the response, for the error's `method` and `url`. */
export interface ResponseErrorContext {
  method?: string | undefined;
  /** @default response.url */
  url?: string | URL | undefined;
}

/**
 * Turns any `Response` into a `QuivoError`, for code that keeps fetch's semantics and wants
 * the classification of a non-2xx answer.
 *
 * A Response that a quivo fetch resolved with gives back the error its policy classified.
 * Otherwise the body is read from a clone (capped at 64 KiB), so the response itself stays
 * unread and readable; a body already used or locked is left alone and the error is built
 * from the status and headers.
 */
export async function quivoErrorFromResponse(response: Response, context?: ResponseErrorContext): Promise<QuivoError> {
  const known = classifiedResponses.get(response);
  if (known) return known;
  const readable = !response.bodyUsed && !(response.body?.locked ?? false);
  const body = readable ? await readCappedText(response.clone()) : undefined;
  return toQuivoError({
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body,
    method: context?.method,
    url: context?.url ?? (response.url || undefined),
  });
}

/**
 * Reads at most `maxBytes` of a response's body as UTF-8 text and frees the rest. Never
 * rejects: a body that breaks off yields what arrived, since it only feeds an error message.
 */
export async function readCappedText(response: Response, maxBytes: number = QUIVO_FETCH_DEFAULTS.maxErrorBodyBytes): Promise<string | undefined> {
  const stream = response.body;
  if (stream === null) return undefined;
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    while (received < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      const chunk = value.byteLength > maxBytes - received ? value.subarray(0, maxBytes - received) : value;
      received += chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
    }
    // Past the cap: stop the transfer instead of buffering a body nobody will read. Not
    // awaited: cancelling one branch of a clone settles only once the other branch ends too.
    reader.cancel().catch(() => undefined);
    return text + decoder.decode();
  } catch {
    return text + decoder.decode();
  } finally {
    reader.releaseLock();
  }
}

/** Frees a response's body that nobody will read: the connection is released now, not at GC. */
export function discardBody(response: Response): void {
  if (response.body === null || response.bodyUsed || response.body.locked) return;
  response.body.cancel().catch(() => undefined);
}
