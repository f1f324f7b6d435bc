import type { IncomingHttpHeaders } from 'node:http';
import { GATEWAY } from './gateway-responses.js';
import type { Reply } from './reply.js';
import type { TokenIssuer } from './token.js';

/** The API key of a request when it is one of the accepted keys. */
export function acceptedApiKey(headers: IncomingHttpHeaders, apiKeys: ReadonlySet<string>): string | undefined {
  const key = headers['x-api-key'];
  return typeof key === 'string' && apiKeys.has(key) ? key : undefined;
}

/**
 * The authorizer: takes the raw token or `Bearer <token>` from Authorization and answers
 * null when it is valid, else the 401 API Gateway sends.
 */
export function authorize(headers: IncomingHttpHeaders, tokens: TokenIssuer): Reply | null {
  const header = headers.authorization;
  if (header === undefined || header === '') return GATEWAY.unauthorized;
  const token = /^bearer /i.test(header) ? header.slice(7).trim() : header.trim();
  switch (tokens.verify(token)) {
    case 'valid':
      return null;
    case 'expired':
      return GATEWAY.tokenExpired;
    case 'invalid':
      return GATEWAY.unauthorized;
  }
}
