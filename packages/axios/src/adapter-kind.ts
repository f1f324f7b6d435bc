import { getAdapter } from 'axios';
import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';

/**
 * Which adapter an attempt goes through: one of axios's own (`http`, `xhr`, `fetch`), which
 * enforce `timeout` themselves, or a custom one (a test double, a wrapper of your own) that
 * may honour only `signal`. `fetch` is told apart because the wrapper follows its redirects.
 */
export type AdapterKind = 'http-or-xhr' | 'fetch' | 'custom';

/** axios's `http` and `xhr` adapters, resolved once: module-level functions of this axios. */
let builtInAdapters: ReadonlySet<AxiosAdapter> | undefined;

/** Asked once per request; the `http` adapter, the usual one in Node, is known without asking axios. */
export function adapterKind(adapter: AxiosAdapter, config: InternalAxiosRequestConfig): AdapterKind {
  builtInAdapters ??= new Set((['http', 'xhr'] as const).map(builtInAdapter).filter((a): a is AxiosAdapter => a !== undefined));
  if (builtInAdapters.has(adapter)) return 'http-or-xhr';
  return adapter === fetchAdapter(config) ? 'fetch' : 'custom';
}

function builtInAdapter(name: 'http' | 'xhr'): AxiosAdapter | undefined {
  try {
    return getAdapter(name);
  } catch {
    // Not available in this runtime (xhr in Node, http in a browser).
    return undefined;
  }
}

/** axios's own `fetch` adapter for this config (one per fetch environment), if this axios has one. */
function fetchAdapter(config: InternalAxiosRequestConfig): AxiosAdapter | undefined {
  try {
    return getAdapter('fetch', config);
  } catch {
    // axios before 1.7, or a runtime without fetch.
    return undefined;
  }
}
