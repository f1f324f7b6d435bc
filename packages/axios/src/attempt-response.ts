import type { AttemptResponse, HeadersLike } from '@quivo-resilience/core';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { isBlob, isOneShotStream } from './body-kinds.js';
import { withHiddenRequest } from './caller-facing-error.js';

/**
 * One attempt's raw axios response (before `transformResponse`, which axios runs once on the
 * final one) as the policy reads it. The value handed back carries the caller's config, not
 * the attempt's: no credentials in `response.config`, and the caller's `validateStatus`; its
 * raw `request`, which holds the headers sent, is there but not enumerable.
 */
export function toAttemptResponse(response: AxiosResponse, callerConfig: InternalAxiosRequestConfig): AttemptResponse<AxiosResponse> {
  const data: unknown = response.data;
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers as HeadersLike,
    body: classifiableBody(data),
    readBody: isBlob(data) ? () => data.text() : undefined,
    // Only a stream holds anything to free; other bodies are already read.
    discard: isOneShotStream(data) ? () => discardBody(data) : undefined,
    value: withHiddenRequest({ ...response, config: callerConfig }, response.request),
  };
}

/** The body as the classifier can read it: text for bytes, nothing for a stream or a Blob. */
function classifiableBody(data: unknown): unknown {
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data);
  if (isBlob(data) || isOneShotStream(data)) return undefined;
  return data;
}

/** `responseType: 'stream'` leaves a socket open until the body is read or destroyed. */
export function discardBody(data: unknown): void {
  if (!isOneShotStream(data)) return;
  const stream = data as { destroy?: () => void; cancel?: () => Promise<void> };
  if (typeof stream.destroy === 'function') stream.destroy();
  else stream.cancel?.().catch(() => {});
}
