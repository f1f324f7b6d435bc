import type { QuivoErrorCode, QuivoErrorSource } from './error-types.js';

/** How the body of a failed response looked; API Gateway's own answers have telltale shapes. */
export type BodyShape = 'json-message' | 'json-Message' | 'json-null-message' | 'json-other' | 'text' | 'html' | 'none';

/** What a failed response says about itself. */
export interface ResponseClues {
  readonly status: number | undefined;
  /** `x-amzn-ErrorType`, already cut by `parseErrorType`. */
  readonly errorType: string | undefined;
  /** The server's message, if it gave one. */
  readonly message: string | undefined;
  readonly shape: BodyShape;
}

export interface ResponseClass {
  readonly code: QuivoErrorCode;
  readonly source: QuivoErrorSource;
}

/**
 * `x-amzn-ErrorType` as the AWS SDKs read it: the first of several values, cut at `:` (the
 * `:http://internal.amazon.com/...` suffix), and the part after `#` when there is one
 * (`aws.protocoltests#FooError` -> `FooError`).
 */
export function parseErrorType(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let value = raw.split(',')[0] ?? '';
  value = value.split(':')[0] ?? '';
  if (value.includes('#')) value = value.split('#')[1] ?? '';
  value = value.trim();
  return value === '' ? undefined : value;
}

/** Gateway error types, lower-cased; the status still decides between families. */
const ERROR_TYPES: ReadonlyMap<string, QuivoErrorCode> = new Map([
  ['unauthorizedexception', 'UNAUTHORIZED'],
  ['accessdeniedexception', 'ACCESS_DENIED'],
  ['forbiddenexception', 'INVALID_API_KEY'],
  ['missingauthenticationtokenexception', 'ROUTE_NOT_FOUND'],
  ['incompletesignatureexception', 'ROUTE_NOT_FOUND'],
  ['expiredtokenexception', 'EXPIRED_SIGNATURE'],
  ['invalidsignatureexception', 'EXPIRED_SIGNATURE'],
  ['toomanyrequestsexception', 'THROTTLED'],
  ['throttlingexception', 'THROTTLED'],
  ['limitexceededexception', 'QUOTA_EXCEEDED'],
  ['badrequestexception', 'BAD_REQUEST'],
  ['notfoundexception', 'NOT_FOUND'],
  ['conflictexception', 'CONFLICT'],
  ['unsupportedmediatypeexception', 'UNSUPPORTED_MEDIA_TYPE'],
  ['internalservererrorexception', 'INTERNAL'],
  ['serviceunavailableexception', 'SERVICE_UNAVAILABLE'],
  ['integrationtimeout', 'INTEGRATION_TIMEOUT'],
  ['integrationtimeoutexception', 'INTEGRATION_TIMEOUT'],
]);

interface GatewayMessage {
  readonly pattern: RegExp;
  readonly code?: QuivoErrorCode;
  /** Body shapes in which this message proves API Gateway (or its CloudFront front door) wrote it. */
  readonly from: readonly BodyShape[];
}

const JSON_SHAPES: readonly BodyShape[] = ['json-message', 'json-Message'];

// API Gateway's default gateway responses and the messages of its authorizers and IAM.
const GATEWAY_MESSAGES: readonly GatewayMessage[] = [
  { pattern: /^the incoming token has expired/i, code: 'TOKEN_EXPIRED', from: JSON_SHAPES },
  { pattern: /security token included in the request is (?:expired|invalid)|^signature expired|signature we calculated does not match/i, code: 'EXPIRED_SIGNATURE', from: JSON_SHAPES },
  { pattern: /^missing authentication token|^invalid key=value pair|^authorization header requires/i, code: 'ROUTE_NOT_FOUND', from: JSON_SHAPES },
  { pattern: /is not authorized to (?:access|perform)|explicit deny/i, code: 'ACCESS_DENIED', from: JSON_SHAPES },
  { pattern: /^unauthori[sz]ed\.?$/i, code: 'UNAUTHORIZED', from: JSON_SHAPES },
  { pattern: /^forbidden\.?$/i, code: 'INVALID_API_KEY', from: JSON_SHAPES },
  { pattern: /^too many requests\.?$/i, code: 'THROTTLED', from: JSON_SHAPES },
  { pattern: /^limit exceeded\.?$/i, code: 'QUOTA_EXCEEDED', from: JSON_SHAPES },
  { pattern: /^endpoint request timed out/i, code: 'INTEGRATION_TIMEOUT', from: JSON_SHAPES },
  { pattern: /^http content length exceeded \d+ bytes/i, code: 'REQUEST_TOO_LARGE', from: ['text', ...JSON_SHAPES] },
  { pattern: /^error: the request could not be satisfied/i, from: ['html'] },
  { pattern: /^(?:internal server error|service unavailable|not found|bad request|unsupported media type|request too long)\.?$/i, from: JSON_SHAPES },
  { pattern: /^(?:invalid request body|network error communicating with endpoint|execution failed due to configuration error)/i, from: JSON_SHAPES },
];

// A backend's own words can still say what happened, in any shape.
const TOKEN_EXPIRED_TEXT = /\b(?:token|jwt)\b[^.]{0,40}\bexpired\b/i;

const BY_STATUS: Readonly<Record<number, QuivoErrorCode>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'INTEGRATION_TIMEOUT',
};

const FORBIDDEN_FAMILY: ReadonlySet<QuivoErrorCode> = new Set(['INVALID_API_KEY', 'ACCESS_DENIED', 'ROUTE_NOT_FOUND', 'EXPIRED_SIGNATURE']);

/**
 * The code and source of a failed response (DESIGN.md, "Error codes"). The status picks the
 * family; `x-amzn-ErrorType`, then the message, pick within it (401: expired or not; 403:
 * key, denial, unknown route or signature; 429: throttle or quota). The source is `gateway`
 * when API Gateway (or its CloudFront front door) evidently wrote the answer, else `backend`.
 */
export function classifyResponse(clues: ResponseClues): ResponseClass {
  const gatewayMessage = clues.message === undefined ? undefined : GATEWAY_MESSAGES.find((row) => row.pattern.test(clues.message!));
  const fromGateway =
    clues.errorType !== undefined ||
    clues.shape === 'json-Message' ||
    clues.shape === 'json-null-message' ||
    (gatewayMessage !== undefined && gatewayMessage.from.includes(clues.shape));
  const byType = clues.errorType === undefined ? undefined : ERROR_TYPES.get(clues.errorType.toLowerCase());
  const byMessage = fromGateway || gatewayMessage?.code !== 'INVALID_API_KEY' ? gatewayMessage?.code : undefined;
  return { code: codeFor(clues, byType, byMessage), source: fromGateway ? 'gateway' : 'backend' };
}

function codeFor(clues: ResponseClues, byType: QuivoErrorCode | undefined, byMessage: QuivoErrorCode | undefined): QuivoErrorCode {
  const { status } = clues;
  if (status === undefined) return byType ?? byMessage ?? 'HTTP_ERROR';
  switch (status) {
    case 401: {
      const expired = byMessage === 'TOKEN_EXPIRED' || (clues.message !== undefined && TOKEN_EXPIRED_TEXT.test(clues.message));
      return expired ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
    }
    case 403:
      if (byType !== undefined && FORBIDDEN_FAMILY.has(byType)) return byType;
      if (byMessage !== undefined && FORBIDDEN_FAMILY.has(byMessage)) return byMessage;
      return 'ACCESS_DENIED';
    case 429:
      return byType === 'QUOTA_EXCEEDED' || byMessage === 'QUOTA_EXCEEDED' ? 'QUOTA_EXCEEDED' : 'THROTTLED';
    default:
      return BY_STATUS[status] ?? 'HTTP_ERROR';
  }
}
