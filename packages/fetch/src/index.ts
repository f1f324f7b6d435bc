export { createQuivoFetch } from './create-quivo-fetch.js';
export { quivoErrorFromResponse, type ResponseErrorContext } from './response-error.js';
export { QUIVO_FETCH_DEFAULTS, quivoInit, type QuivoFetchOptions, type QuivoFetchRequestOptions, type QuivoRequestInit } from './quivo-fetch-options.js';
