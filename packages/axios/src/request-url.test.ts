import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import oldestAxios from 'axios-oldest';
import { describe, expect, it } from 'vitest';
import { joinedUrl, requestUrlBuilder } from './request-url.js';

const BASES = ['https://api.quivo.test', 'https://api.quivo.test/v1', 'https://api.quivo.test/v1/', 'https://api.quivo.test//', '', undefined];
const URLS = ['/orders', 'orders', '//orders', '///orders/1', '', 'orders?id=1', '/orders/../login', 'https://elsewhere.test/x', '//elsewhere.test/x', 'HTTPS://API.quivo.test/orders', 'mailto:x@y.test', undefined];

const CASES = BASES.flatMap((baseURL) => URLS.map((path) => [baseURL, path] as const));

describe.each([
  ['current', axios.create()],
  ['1.6.0', oldestAxios.create() as unknown as AxiosInstance],
])('the request URL with axios %s', (_version, instance) => {
  const url = requestUrlBuilder(instance);

  it.each(CASES)('is what axios builds for baseURL %j and url %j', (baseURL, path) => {
    const config: InternalAxiosRequestConfig = { headers: new axios.AxiosHeaders() };
    if (baseURL !== undefined) config.baseURL = baseURL;
    if (path !== undefined) config.url = path;
    expect(url(config)).toBe(instance.getUri(config));
  });
});

describe('the request URL', () => {
  const url = requestUrlBuilder(axios.create());

  it('joins a relative path to the base without axios, and leaves everything else to it', () => {
    expect(joinedUrl({ baseURL: 'https://api.quivo.test/v1', url: 'orders/1' })).toBe('https://api.quivo.test/v1/orders/1');
    expect(joinedUrl({ baseURL: 'https://api.quivo.test', url: '' })).toBe('https://api.quivo.test');
    expect(joinedUrl({ baseURL: 'https://api.quivo.test', url: '//elsewhere.test/x' })).toBeUndefined();
    expect(joinedUrl({ baseURL: 'https://api.quivo.test', url: 'https://elsewhere.test/x' })).toBeUndefined();
    expect(joinedUrl({ baseURL: 'https://api.quivo.test/', url: '/orders' })).toBeUndefined();
    expect(joinedUrl({ baseURL: 'https://api.quivo.test', url: '/orders', params: { id: 1 } })).toBeUndefined();
  });

  it('adds params as axios does', () => {
    const config = { baseURL: 'https://api.quivo.test', url: '/orders', params: { id: 1, q: 'a b' }, headers: new axios.AxiosHeaders() };
    expect(url(config)).toBe('https://api.quivo.test/orders?id=1&q=a+b');
  });
});
