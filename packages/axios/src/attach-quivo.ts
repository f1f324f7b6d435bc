import { createQuivoPolicy, isQuivoPolicy, QuivoError } from '@quivo-resilience/core';
import type { QuivoPolicy, QuivoPolicyOptions } from '@quivo-resilience/core';
import type { AxiosAdapter, AxiosInstance, AxiosInterceptorManager, InternalAxiosRequestConfig } from 'axios';
import './augment.js';
import { requestUrlBuilder } from './request-url.js';
import { wrapAdapter } from './wrap-adapter.js';

interface Installation {
  readonly eject: () => void;
}

/** One installation per instance: a second `attachQuivo` replaces the first. */
const installations = new WeakMap<AxiosInstance, Installation>();

/** Each wrapped adapter and the adapter it replaced, so a config that comes back is unwrapped. */
const wrappedAdapters = new WeakMap<AxiosAdapter, InternalAxiosRequestConfig['adapter']>();

/**
 * Installs a Quivo policy on an axios instance: credentials for the Quivo origin, refresh on
 * 401, retries with backoff, the limiter, and `QuivoError` rejections. Returns `eject`, which
 * removes it again.
 *
 * Pass a policy to share its token and limiter with other clients of the same service, or
 * options to give the instance a policy of its own (closed by `eject`; `baseURL` defaults to
 * the instance's absolute `defaults.baseURL`, and one of the two is required). Attaching to
 * an instance that already has a policy replaces it; the earlier `eject` then does nothing.
 */
export function attachQuivo(instance: AxiosInstance, policy: QuivoPolicy | QuivoPolicyOptions): () => void {
  // JavaScript callers pass what they have, e.g. `attachQuivo(api, config.quivo)` with the key unset.
  if (!isAxiosInstanceLike(instance)) throw invalidArgument(`attachQuivo needs an axios instance (from axios.create), got ${describe(instance)}`);
  if (typeof policy !== 'object' || policy === null) throw invalidArgument(`attachQuivo needs a Quivo policy or policy options, got ${describe(policy)}`);
  const owned = !isPolicyLike(policy);
  const active = owned ? createQuivoPolicy(withInstanceBaseURL(policy, instance)) : policy;
  if (owned && active.options.baseURL === undefined) {
    // Without a Quivo origin the policy would apply to no request, silently.
    active.close();
    throw invalidArgument('attachQuivo needs a baseURL: set it in the options or give the instance an absolute baseURL');
  }
  // Replaced only once the new policy exists: invalid options leave the old one in place.
  installations.get(instance)?.eject();
  const manager = instance.interceptors.request;
  const requestUrl = requestUrlBuilder(instance);
  const id = manager.use(
    (config) => {
      // Only marks the request; the adapter does the work with the config it is finally called
      // with, after every interceptor, whichever order they were added in.
      const { adapter, signal, cancelToken } = config;
      const original = adapter !== undefined && typeof adapter === 'function' && wrappedAdapters.has(adapter) ? wrappedAdapters.get(adapter) : adapter;
      const wrapped = wrapAdapter(requestUrl, active, { adapter: original, signal, cancelToken });
      wrappedAdapters.set(wrapped, original);
      return withAdapter(config, wrapped);
    },
    undefined,
    // It never awaits, so it keeps axios's synchronous path for callers whose interceptors are.
    { synchronous: true },
  );

  let ejected = false;
  const installation: Installation = {
    eject: () => {
      if (ejected) return;
      ejected = true;
      manager.eject(id);
      dropTrailingSlot(manager, id);
      if (installations.get(instance) === installation) installations.delete(instance);
      if (owned) active.close();
    },
  };
  installations.set(instance, installation);
  return installation.eject;
}

/**
 * The request's config with our adapter and without the caller's cancellation, which the
 * adapter holds. Written in place: axios merges a new config object for every request (the
 * caller's own object is never the one interceptors get), as interceptors that set a header do.
 */
function withAdapter(config: InternalAxiosRequestConfig, adapter: AxiosAdapter): InternalAxiosRequestConfig {
  config.adapter = adapter;
  // Only when present: deleting a property slows every later read of an ordinary object.
  if ('signal' in config) delete config.signal;
  if ('cancelToken' in config) delete config.cancelToken;
  return config;
}

function isAxiosInstanceLike(value: unknown): value is AxiosInstance {
  if ((typeof value !== 'function' && typeof value !== 'object') || value === null) return false;
  const request = (value as { interceptors?: { request?: { use?: unknown } } }).interceptors?.request;
  return typeof request?.use === 'function';
}

function invalidArgument(message: string): QuivoError {
  return new QuivoError({ code: 'INVALID_OPTIONS', message });
}

/** The kind of value, never its content: options may hold a password. */
function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function isPolicyLike(value: QuivoPolicy | QuivoPolicyOptions): value is QuivoPolicy {
  if (isQuivoPolicy(value)) return true;
  const candidate = value as Partial<Record<keyof QuivoPolicy, unknown>>;
  return typeof candidate.execute === 'function' && typeof candidate.appliesTo === 'function';
}

function withInstanceBaseURL(options: QuivoPolicyOptions, instance: AxiosInstance): QuivoPolicyOptions {
  const base = instance.defaults.baseURL;
  if (options.baseURL !== undefined || typeof base !== 'string' || !/^https?:\/\//i.test(base)) return options;
  return { ...options, baseURL: base };
}

/**
 * Older axios (1.6 among them) leaves an ejected interceptor as a `null` slot at the end of
 * `handlers`; removing our own slot leaves the instance as it was before `attachQuivo`.
 * Newer axios trims it itself, and then this finds nothing to do.
 */
function dropTrailingSlot(manager: AxiosInterceptorManager<InternalAxiosRequestConfig>, id: number): void {
  const handlers = (manager as { handlers?: unknown }).handlers;
  if (Array.isArray(handlers) && handlers.length === id + 1 && handlers[id] === null) handlers.pop();
}
