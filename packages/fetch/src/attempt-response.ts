import type { AttemptResponse } from '@quivo-resilience/core';
import { discardBody, readCappedText } from './response-error.js';

/**
 * What the policy sees of one attempt's Response. The policy reads an error body from a clone,
 * so the Response handed back to the caller is always unread.
 */
export function toAttemptResponse(response: Response): AttemptResponse<Response> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    readBody: () => readCappedText(response.clone()),
    discard: () => discardBody(response),
    value: response,
  };
}
