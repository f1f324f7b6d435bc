// Names are compared lower-cased with `-`, `_` and spaces removed: `X-Api-Key`, `api_key`, `apiKey` are one name.
const normalise = (name: string): string => name.toLowerCase().replace(/[-_\s]/g, '');

const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'apikey', 'xapikey', 'authorization',
  'proxyauthorization', 'auth', 'cookie', 'setcookie', 'signature', 'xamzsecuritytoken', 'xamzcredential',
  'credential', 'credentials', 'privatekey', 'jwt', 'otp', 'sessionid',
]);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'apikey', 'signature'];

/**
 * True for header names and body keys whose values are credentials: Authorization, X-Api-Key,
 * cookies, `password`, `Token`/`token`, `apiKey`, `clientSecret`, `X-Amz-Security-Token`...
 */
export function isSecretField(name: string): boolean {
  const key = normalise(name);
  return SECRET_FIELDS.has(key) || SECRET_SUFFIXES.some((suffix) => key.endsWith(suffix));
}

// In a URL, `key` (Google-style API keys), `sig` and `code` (an OAuth authorization code) are credentials too.
const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set(['key', 'sig', 'code']);

/** True for query parameter names whose values are credentials (`token`, `access_token`, `apiKey`, `X-Amz-Signature`, `code`...). */
export function isSecretQueryParam(name: string): boolean {
  return isSecretField(name) || SECRET_QUERY_PARAMS.has(normalise(name));
}
