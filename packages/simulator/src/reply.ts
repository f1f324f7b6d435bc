import { JSON_TYPE, TEXT_TYPE } from './gateway-responses.js';

/** What a route or a gateway check answers. `CannedResponse` is one. */
export interface Reply {
  readonly status: number;
  /** Omitted for bodiless answers (204). */
  readonly contentType?: string;
  readonly body?: Buffer | string;
  /** `x-amzn-ErrorType`, set on gateway answers only. */
  readonly errorType?: string;
  /** `Retry-After`, in seconds. */
  readonly retryAfterSeconds?: number;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/** A backend error as the Quivo services send them: plain text, no error type. */
export function textReply(status: number, text: string): Reply {
  return { status, contentType: TEXT_TYPE, body: text };
}

export const NO_CONTENT: Reply = { status: 204 };
