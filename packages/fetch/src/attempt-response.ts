import type { AttemptResponse, HeadersLike } from '@quivo-resilience/core';
import { discardBody, readCappedText } from './response-error.js';

/**
 * What the policy sees of one attempt's Response. The policy reads an error body from a clone,
 * so the Response handed back to the caller is always unread. A class, so an attempt costs
 * one object rather than an object and two closures.
 */
class FetchAttemptResponse implements AttemptResponse<Response> {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HeadersLike;
  readonly value: Response;

  constructor(response: Response) {
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.value = response;
  }

  readBody(): Promise<string | undefined> {
    return readCappedText(this.value.clone());
  }

  discard(): void {
    discardBody(this.value);
  }
}

export function toAttemptResponse(response: Response): AttemptResponse<Response> {
  return new FetchAttemptResponse(response);
}
