// Shared by the tests beside the code; not part of the package's exports.
import { onTestFinished } from 'vitest';
import type { SimulatorOptions } from './options.js';
import { type QuivoSimulator, startQuivoSimulator } from './server.js';

export const API_KEY = 'test-api-key';
export const CREDENTIALS = { username: 'demo', password: 'demo-password' };

/** Starts a simulator that closes when the current test ends. */
export async function startForTest(options?: SimulatorOptions): Promise<QuivoSimulator> {
  const sim = await startQuivoSimulator(options);
  onTestFinished(() => sim.close());
  return sim;
}

export interface CallOptions {
  /** `null` sends no X-Api-Key. @default API_KEY */
  apiKey?: string | null;
  /** Sent as the raw Authorization value. */
  token?: string;
  /** Serialised as JSON unless it is a string already. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Hangs up when it fires. */
  signal?: AbortSignal;
}

/** One HTTP exchange with the simulator. */
export async function call(sim: QuivoSimulator, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const apiKey = options.apiKey === undefined ? API_KEY : options.apiKey;
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  if (options.token !== undefined) headers['authorization'] = options.token;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(`${sim.url}${path}`, { method, headers, ...(options.signal === undefined ? {} : { signal: options.signal }), ...(body === undefined ? {} : { body }) });
}

/** Logs in over HTTP and returns the token. */
export async function login(sim: QuivoSimulator): Promise<string> {
  const res = await call(sim, 'POST', '/login', { body: CREDENTIALS });
  if (res.status !== 200) throw new Error(`login failed with ${res.status}: ${await res.text()}`);
  const { Token } = (await res.json()) as { Token: string };
  return Token;
}

/** Status, content type, x-amzn-ErrorType and body text of a response, for one-line assertions. */
export async function describeResponse(res: Response): Promise<{ status: number; type: string | null; errorType: string | null; body: string }> {
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    errorType: res.headers.get('x-amzn-errortype'),
    body: await res.text(),
  };
}

export const newOrder = (orderIdentifier: string): Record<string, unknown> => ({
  orderIdentifier,
  positions: [{ sku: 'QV-1001', quantity: 2 }],
});
