import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';

/** The absolute URL the original adapter will request, built by the instance's own axios. */
export type RequestUrl = (config: InternalAxiosRequestConfig) => string | undefined;

/** The config fields axios's `getUri` builds a URL from. */
const URL_FIELDS = ['baseURL', 'url', 'params', 'paramsSerializer', 'allowAbsoluteUrls'] as const;

/**
 * `instance.getUri(config)` merges the instance's defaults (their headers included) into the
 * config first, which costs more than the rest of a request's work here; the config an adapter
 * is called with is already merged. So the URL is built by a sibling of the instance, made once
 * with the same axios but with no defaults, from the few fields that make a URL: the same
 * string, from the config as the adapter will read it.
 */
export function requestUrlBuilder(instance: AxiosInstance): RequestUrl {
  const builder = bareSibling(instance);
  if (builder === undefined) return (config) => attempt(() => instance.getUri(config));
  return (config) => {
    const joined = joinedUrl(config);
    if (joined !== undefined) return joined;
    const fields: Partial<InternalAxiosRequestConfig> = {};
    for (const name of URL_FIELDS) {
      const value: unknown = config[name];
      if (value !== undefined) (fields as Record<string, unknown>)[name] = value;
    }
    return attempt(() => builder.getUri(fields));
  };
}

/** axios's own test (`isAbsoluteURL`): a scheme followed by `//`, or a protocol-relative `//`. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The common case without axios: a relative path, no `params`, a string `baseURL` without a
 * trailing slash. Every axios 1.x joins those as `baseURL + '/' + url` without its leading
 * slashes (and the base alone for an empty url), so this is the string `getUri` returns, at a
 * tenth of its cost (it merges the config first). Anything else, an absolute URL among them,
 * goes to `getUri`; the test suite compares both on a table of URLs.
 */
export function joinedUrl(config: Pick<InternalAxiosRequestConfig, 'baseURL' | 'url' | 'params'>): string | undefined {
  const { baseURL, url } = config;
  if (config.params !== undefined || typeof baseURL !== 'string' || typeof url !== 'string') return undefined;
  if (baseURL === '' || baseURL.endsWith('/') || ABSOLUTE_URL.test(url)) return undefined;
  return url === '' ? baseURL : `${baseURL}/${url.replace(/^\/+/, '')}`;
}

function attempt(build: () => string): string | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

/** An instance of the same axios whose `defaults` are empty, or nothing if this axios has no `create`. */
function bareSibling(instance: AxiosInstance): Pick<AxiosInstance, 'getUri'> | undefined {
  const create = (instance as Partial<Pick<AxiosInstance, 'create'>>).create;
  if (typeof create !== 'function') return undefined;
  try {
    const sibling = create.call(instance, {});
    // `create` gives the sibling a merged copy of the defaults of its own: emptying it touches
    // nothing the caller holds.
    const defaults = sibling.defaults as unknown as Record<string, unknown>;
    for (const key of Object.keys(defaults)) delete defaults[key];
    return sibling;
  } catch {
    return undefined;
  }
}
