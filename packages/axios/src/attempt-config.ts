import type { AttemptContext } from '@quivo-resilience/core';
import type { InternalAxiosRequestConfig } from 'axios';
import { copyHeaders } from './copy-headers.js';
import type { BeforeRedirect } from './redirect-guard.js';
import type { ReplayBody } from './replay-body.js';

/** Every attempt's status goes to the policy; the caller's `validateStatus` judges the final one. */
const acceptEveryStatus = (): boolean => true;

/**
 * One attempt's fields, set on the request's own config and put back as they were by
 * `restore` once the attempt has settled. axios merges a fresh config object for every
 * request, in dictionary mode: a copy of it per attempt cost 3 µs, more than all the rest of
 * an attempt's bookkeeping. Attempts of one request do not overlap (the policy may abandon an
 * attempt whose custom adapter ignores its signal; the next one restores that one's fields
 * first), and axios's own adapters do not write to the config or read it after they settle.
 */
export class AttemptConfig {
  readonly #config: Record<string, unknown>;
  readonly #saved: Array<{ name: string; present: boolean; value: unknown }> = [];

  /**
   * With one of axios's own adapters (`timed`), the attempt's time limit is axios's `timeout`
   * and its cancellation the caller's signal, which costs far less than a signal of the
   * policy's (axios listens to one per request); the policy reports axios's timeout as its own
   * `TIMEOUT`. A custom adapter, or an attempt whose redirects the wrapper follows itself (it
   * spans several axios calls), takes the policy's signal instead.
   */
  constructor(
    config: InternalAxiosRequestConfig,
    base: InternalAxiosRequestConfig['headers'],
    body: ReplayBody,
    ctx: AttemptContext,
    /** The redirect guard; undefined for an attempt whose redirects need no watching. */
    beforeRedirect: BeforeRedirect | undefined,
    timed: boolean,
  ) {
    this.#config = config as unknown as Record<string, unknown>;
    // A copy: the request's own headers never hold the credentials.
    const headers = copyHeaders(base);
    for (const [name, value] of Object.entries(ctx.headers)) headers.set(name, value, true);
    this.#set('headers', headers);
    this.#set('data', body.data);
    this.#set('timeout', timed ? ctx.timeoutMs : 0);
    this.#set('validateStatus', acceptEveryStatus);
    // Unset only when the caller has neither a signal nor a cancel token (then neither is in the config).
    const signal = timed ? ctx.callerSignal : ctx.signal;
    if (signal !== undefined) this.#set('signal', signal);
    // axios's default message says "timeout"; a custom one would hide what happened.
    if (config.timeoutErrorMessage) this.#set('timeoutErrorMessage', '');
    if (beforeRedirect !== undefined) this.#set('beforeRedirect', beforeRedirect);
    // The caller's token is part of ctx.callerSignal.
    if ('cancelToken' in config) this.#remove('cancelToken');
  }

  /** The config to hand the adapter, with this attempt's fields. */
  get config(): InternalAxiosRequestConfig {
    return this.#config as unknown as InternalAxiosRequestConfig;
  }

  /** Puts every field back as it was before the attempt, in reverse order. */
  restore(): void {
    const config = this.#config;
    for (let i = this.#saved.length - 1; i >= 0; i -= 1) {
      const { name, present, value } = this.#saved[i]!;
      if (present) config[name] = value;
      // Only fields the attempt added are deleted: the config had none of them before.
      else delete config[name];
    }
    this.#saved.length = 0;
  }

  #set(name: string, value: unknown): void {
    this.#save(name);
    this.#config[name] = value;
  }

  #remove(name: string): void {
    this.#save(name);
    delete this.#config[name];
  }

  #save(name: string): void {
    this.#saved.push({ name, present: name in this.#config, value: this.#config[name] });
  }
}
