import { isQuivoError, QuivoError, toQuivoError } from '@quivo-resilience/core';
import type { ExecuteResult, PolicyRequest } from '@quivo-resilience/core';
import { AxiosError, AxiosHeaders } from 'axios';
import type { AxiosResponse, AxiosResponseTransformer, InternalAxiosRequestConfig } from 'axios';
import { hideRequest, withHiddenRequest } from './caller-facing-error.js';

/**
 * The caller's `validateStatus` applied to the policy's final response, as axios's own
 * `settle()` would: the response, or a `QuivoError` whose `cause` is the AxiosError axios
 * would have thrown, so `err.cause.response` still works.
 */
export function settleFinalResponse(result: ExecuteResult<AxiosResponse>, config: InternalAxiosRequestConfig, request: PolicyRequest): AxiosResponse {
  const response = result.value;
  const validateStatus = config.validateStatus;
  if (!response.status || !validateStatus || validateStatus(response.status)) return response;
  const axiosError = new AxiosError(
    `Request failed with status code ${response.status}`,
    response.status >= 400 && response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE,
    config,
    response.request,
    withTransformedData(response, config),
  );
  hideRequest(axiosError);
  if (result.error !== undefined) throw result.error.withCause(axiosError);
  // A status below 400 that the caller's validateStatus refuses: not an error for the policy.
  throw new QuivoError({
    code: 'HTTP_ERROR',
    message: `HTTP ${response.status} refused by validateStatus`,
    source: 'client',
    status: response.status,
    method: request.method,
    url: request.url,
    attempts: result.attempts,
    cause: axiosError,
  });
}

/** What `policy.execute` rejected with, as the caller meets it: always a QuivoError. */
export function toRejection(thrown: unknown, request: PolicyRequest): QuivoError {
  return isQuivoError(thrown) ? thrown : toQuivoError({ method: request.method, url: request.url, cause: thrown });
}

/**
 * axios runs `transformResponse` on a rejected response only when the rejection carries it as
 * `.response`; a QuivoError does not, so the AxiosError we attach gets the same treatment
 * here: `err.cause.response.data` is parsed JSON, as axios users expect.
 */
function withTransformedData(response: AxiosResponse, config: InternalAxiosRequestConfig): AxiosResponse {
  const transforms = config.transformResponse;
  const list: AxiosResponseTransformer[] = transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms];
  const headers = AxiosHeaders.from(response.headers as AxiosHeaders);
  let data: unknown = response.data;
  try {
    for (const transform of list) data = transform.call({ ...config, response } as InternalAxiosRequestConfig, data, headers.normalize(false), response.status);
  } catch {
    // A strict JSON parse of an error page fails; the error at hand is the HTTP status.
    data = response.data;
  }
  return withHiddenRequest({ ...response, data, headers }, response.request);
}
