import { classifyResponse, parseErrorType, type BodyShape } from './classify-response.js';
import { classifyThrown } from './classify-thrown.js';
import { collectSecrets } from './collect-secrets.js';
import { isHtml, jsonMessage, oneLine, textMessage } from './error-message.js';
import type { QuivoErrorInput } from './error-types.js';
import { QuivoError, copyQuivoError, isQuivoError } from './quivo-error.js';
import { readBody } from './read-body.js';
import { readHeader } from './read-headers.js';
import { isObjectLike, readProp } from './safe-read.js';

/**
 * Turns whatever is known about a failed exchange into one `QuivoError`: a response's
 * status, headers and body in any shape (classified by DESIGN.md's error table), or an
 * error thrown instead of a response (NETWORK, TIMEOUT, ABORTED; HTTP_ERROR when it is not
 * recognisably either). A `cause` that is already a `QuivoError` is returned as it is, with
 * `method` and `url` filled in when it lacked them. Credentials found anywhere in the input
 * are scrubbed from every text of the result. Never throws.
 */
export function toQuivoError(input: QuivoErrorInput): QuivoError {
  try {
    return fromInput(isErrorLike(input) ? { cause: input } : input);
  } catch {
    // Unreachable by design; a classifier must still never become the failure.
    return new QuivoError({ code: 'HTTP_ERROR', message: 'The failure could not be classified', source: 'client' });
  }
}

function fromInput(input: QuivoErrorInput): QuivoError {
  const cause = readProp(input, 'cause');
  const method = stringOrUndefined(readProp(input, 'method'));
  const url = readProp(input, 'url') as string | URL | undefined;
  if (isQuivoError(cause)) return withRequest(cause, method, url);

  // An axios-like error carries its response; adapters pass status and body explicitly, callers may not.
  const response = readProp(cause, 'response');
  const own = validStatus(readProp(input, 'status'));
  const status = own ?? validStatus(readProp(response, 'status'));
  const fromCause = own === undefined && status !== undefined;
  const headers = readProp(fromCause ? response : input, 'headers');
  const body = readProp(fromCause ? response : input, fromCause ? 'data' : 'body');
  const statusText = stringOrUndefined(readProp(fromCause ? response : input, 'statusText'));

  const read = readBody(body);
  const fromCauseConfig = causeSecretSources(cause);
  const secrets = collectSecrets({
    headers: [headers, ...fromCauseConfig.headers],
    urls: [url, ...fromCauseConfig.urls],
    bodies: [read.json ?? read.text, ...fromCauseConfig.bodies],
    values: secretValues(input),
  });
  const common = { method, url, cause, secrets };
  const errorType = parseErrorType(readHeader(headers, 'x-amzn-errortype'));

  if (status !== undefined || errorType !== undefined) {
    const { message, shape } = bodyMessage(read);
    const { code, source } = classifyResponse({ status, errorType, message, shape });
    const requestId = readHeader(headers, 'x-amzn-requestid') ?? readHeader(headers, 'apigw-requestid');
    return new QuivoError({
      ...common,
      code,
      source,
      status,
      message: message ?? oneLine(statusText ?? ''),
      requestId,
      gatewayErrorType: errorType,
      body: read.json ?? read.text,
    });
  }
  if (cause !== undefined) {
    const thrown = classifyThrown(cause);
    return new QuivoError({ ...common, ...thrown, message: thrown.message ?? '' });
  }
  return new QuivoError({ ...common, code: 'HTTP_ERROR', source: 'client', message: bodyMessage(read).message ?? oneLine(statusText ?? ''), body: read.json ?? read.text });
}

function bodyMessage(read: ReturnType<typeof readBody>): { message: string | undefined; shape: BodyShape } {
  if (read.json) {
    const { message, key } = jsonMessage(read.json);
    const shape: BodyShape = key === 'Message' ? 'json-Message' : key === undefined ? 'json-other' : message === undefined ? 'json-null-message' : 'json-message';
    return { message, shape };
  }
  if (read.text !== undefined) return { message: textMessage(read.text), shape: isHtml(read.text) ? 'html' : 'text' };
  return { message: undefined, shape: 'none' };
}

/** Where an axios-like cause (and the errors it wraps) keeps the request's credentials. */
function causeSecretSources(cause: unknown): { headers: unknown[]; urls: unknown[]; bodies: unknown[] } {
  const sources = { headers: [] as unknown[], urls: [] as unknown[], bodies: [] as unknown[] };
  let node = cause;
  for (let depth = 0; depth < 4 && isObjectLike(node); depth++, node = readProp(node, 'cause')) {
    const config = readProp(node, 'config');
    if (!isObjectLike(config)) continue;
    sources.headers.push(readProp(config, 'headers'));
    sources.urls.push(readProp(config, 'url'), readProp(config, 'baseURL'));
    sources.bodies.push(readProp(config, 'data'), readProp(config, 'params'), readProp(config, 'auth'));
  }
  return sources;
}

function secretValues(input: QuivoErrorInput): unknown[] {
  const values = readProp(input, 'secrets');
  return Array.isArray(values) ? values.slice(0, 64) : [];
}

function withRequest(error: QuivoError, method: string | undefined, url: string | URL | undefined): QuivoError {
  const fillMethod = error.method === undefined && method !== undefined;
  const fillUrl = error.url === undefined && url !== undefined;
  if (!fillMethod && !fillUrl) return error;
  return copyQuivoError(error, { ...(fillMethod ? { method } : {}), ...(fillUrl ? { url } : {}) });
}

/** A status worth classifying: an integer from 100 to 999 (0 is how XHR reports a network error). */
function validStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 999 ? value : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An error passed where the input object was expected (`toQuivoError(err)`). */
function isErrorLike(input: unknown): boolean {
  try {
    return input instanceof Error;
  } catch {
    return false;
  }
}
