import type { QuivoErrorSource, QuivoOutcome } from './error-types.js';
import { isObjectLike, readProp, readString } from './safe-read.js';

/** What an error thrown instead of a response amounts to. */
export interface ThrownClass {
  readonly code: 'NETWORK' | 'TIMEOUT' | 'ABORTED' | 'HTTP_ERROR';
  readonly source: QuivoErrorSource;
  readonly outcome: QuivoOutcome;
  readonly transient: boolean;
  /** The thrown error's words, with the underlying system error's when it is nested (`fetch failed: connect ECONNREFUSED ...`). */
  readonly message: string | undefined;
}

type Signature = Omit<ThrownClass, 'message'>;

const network = (outcome: QuivoOutcome, transient = true): Signature => ({ code: 'NETWORK', source: 'network', outcome, transient });
const ABORTED: Signature = { code: 'ABORTED', source: 'client', outcome: 'unknown', transient: false };
const TIMEOUT: Signature = { code: 'TIMEOUT', source: 'client', outcome: 'unknown', transient: true };

// Failures before a connection existed: nothing was sent, so any method may be tried again.
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
// Unreachable and timed out: before sending when the failing call was `connect`, else unknown.
const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ETIMEDOUT']);
// The connection broke while the request or its answer was in flight.
const IN_FLIGHT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EPROTO', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED',
  'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_GOAWAY_SESSION',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// TLS handshake failures (bad or expired certificate): nothing was sent, and retrying will not help.
const TLS_CODE = /^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT)/;
// fetch's TypeError in Node (undici), Chrome, Firefox, Safari and React Native.
const FETCH_FAILED = /^(?:fetch failed|failed to fetch|networkerror when attempting to fetch|load failed|network request failed)/i;

// Enough for fetch -> undici -> AggregateError -> system error, and proof against cycles.
const MAX_DEPTH = 5;
const MAX_NODES = 24;

/**
 * Classifies an error thrown where a response was expected: Node socket errors, undici's
 * `UND_ERR_*`, fetch's `TypeError` and its `cause`, axios's `AxiosError` codes, `AbortError`
 * and `TimeoutError` DOMExceptions. The cause chain (`cause`, `AggregateError.errors`) is
 * searched breadth-first, outermost first, so an abort wins over the socket error it caused.
 * Anything unrecognised is `HTTP_ERROR` from the `client`: not a network failure we can vouch for.
 */
export function classifyThrown(thrown: unknown): ThrownClass {
  const chain = causeChain(thrown);
  let generic = false;
  for (const node of chain) {
    const specific = specificSignature(node);
    if (specific) return { ...specific, message: joinMessages(thrown, node) };
    generic ||= isGenericNetworkError(node);
  }
  // `fetch failed` alone says little; its first cause says what failed (`bad port`, `other side closed`).
  if (generic) return { ...network('unknown'), message: joinMessages(thrown, chain[1] ?? thrown) };
  return { code: 'HTTP_ERROR', source: 'client', outcome: 'unknown', transient: false, message: ownMessage(thrown) };
}

function specificSignature(node: object): Signature | undefined {
  const code = readString(node, 'code');
  const name = readString(node, 'name');
  if (name === 'AbortError' || name === 'CanceledError' || code === 'ERR_CANCELED' || code === 'UND_ERR_ABORTED' || readProp(node, '__CANCEL__') === true) {
    return ABORTED;
  }
  if (name === 'TimeoutError' || name === 'HeadersTimeoutError' || name === 'BodyTimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) return TIMEOUT;
  // axios reports its own `timeout` as ECONNABORTED (ETIMEDOUT with clarifyTimeoutError).
  if ((code === 'ECONNABORTED' || code === 'ETIMEDOUT') && readProp(node, 'isAxiosError') === true && /timeout/i.test(readString(node, 'message') ?? '')) {
    return TIMEOUT;
  }
  if (name === 'ConnectTimeoutError' || (code !== undefined && NOT_SENT_CODES.has(code))) return network('not-executed');
  if (code === undefined) return name === 'SocketError' ? network('unknown') : undefined;
  if (CONNECT_PHASE_CODES.has(code)) return network(readString(node, 'syscall') === 'connect' ? 'not-executed' : 'unknown');
  if (IN_FLIGHT_CODES.has(code)) return network('unknown');
  if (TLS_CODE.test(code)) return network('not-executed', false);
  return undefined;
}

function isGenericNetworkError(node: object): boolean {
  if (readString(node, 'code') === 'ERR_NETWORK') return true;
  return readString(node, 'name') === 'TypeError' && FETCH_FAILED.test(readString(node, 'message') ?? '');
}

/** The thrown value and its causes, outermost first, each object once. */
function causeChain(thrown: unknown): object[] {
  if (!isObjectLike(thrown)) return [];
  const seen = new Set<object>([thrown]);
  const queue: Array<{ node: object; depth: number }> = [{ node: thrown, depth: 0 }];
  const nodes: object[] = [];
  for (let item = queue.shift(); item && nodes.length < MAX_NODES; item = queue.shift()) {
    nodes.push(item.node);
    if (item.depth >= MAX_DEPTH) continue;
    for (const child of children(item.node)) {
      if (isObjectLike(child) && !seen.has(child)) {
        seen.add(child);
        queue.push({ node: child, depth: item.depth + 1 });
      }
    }
  }
  return nodes;
}

function children(node: object): unknown[] {
  const found: unknown[] = [readProp(node, 'cause')];
  const errors = readProp(node, 'errors');
  if (Array.isArray(errors)) for (let i = 0; i < Math.min(errors.length, 8); i++) found.push(readProp(errors, i));
  return found;
}

function joinMessages(outer: unknown, inner: unknown): string | undefined {
  const outerText = ownMessage(outer);
  const innerText = readString(inner, 'message')?.trim() || undefined;
  if (inner === outer || innerText === undefined) return outerText ?? innerText;
  if (outerText === undefined || outerText.includes(innerText)) return outerText ?? innerText;
  return `${outerText}: ${innerText}`;
}

/** A thrown value's own words: an error's message, or a string or number thrown as such. */
function ownMessage(thrown: unknown): string | undefined {
  if (typeof thrown === 'string') return thrown.trim() || undefined;
  if (typeof thrown === 'number' || typeof thrown === 'boolean' || typeof thrown === 'bigint') return `Non-error value thrown: ${String(thrown)}`;
  if (thrown === null) return 'Non-error value thrown: null';
  const message = readString(thrown, 'message')?.trim();
  if (message) return message;
  const name = readString(thrown, 'name');
  return name ? name : isObjectLike(thrown) ? 'Non-error value thrown: object' : undefined;
}
