import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptedApiKey, authorize } from './auth.js';
import type { FaultQueue } from './fault-queue.js';
import type { ChosenFault, FaultKind, FaultTarget } from './faults.js';
import { type CannedResponse, GATEWAY, incompleteSignature } from './gateway-responses.js';
import {
  BODY_TOO_LARGE,
  declaresBodyTooLarge,
  discardRestOfBody,
  hasBody,
  parseTarget,
  readBody,
  type ResponseIds,
  writeReply,
} from './http-io.js';
import type { NormalizedOptions, SimulatorSleep } from './options.js';
import type { RandomFaults } from './random-faults.js';
import type { Reply } from './reply.js';
import type { Route, RouteMatch } from './router.js';
import { type StatsRecorder, UNMATCHED_ROUTE } from './stats.js';
import type { TokenIssuer } from './token.js';
import type { UsagePlan } from './throttle.js';

export interface GatewayDeps {
  readonly options: NormalizedOptions;
  readonly matchRoute: (method: string, path: string) => RouteMatch;
  readonly tokens: TokenIssuer;
  readonly usagePlan: UsagePlan;
  readonly faultQueue: FaultQueue;
  readonly randomFaults: RandomFaults;
  readonly stats: StatsRecorder;
  readonly sleep: SimulatorSleep;
  /** Aborted by `close()`, so latency faults stop waiting. */
  readonly shutdown: AbortSignal;
}

type Exchange = ResponseIds & { routeKey: string };

/** Faults answered instead of the backend; `504` and `reset` come after it, `latency` before it. */
type AnsweringFault = Exclude<FaultKind, '504' | 'reset' | 'latency'>;

/**
 * API Gateway in front of the Quivo backend. Checks run in this order: payload size, route,
 * API key, authorizer (resource routes), usage plan (throttle, then quota), faults, backend.
 */
export function createRequestHandler(deps: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { options, stats, tokens } = deps;
  const withRetryAfter = (reply: CannedResponse): Reply =>
    options.retryAfterSeconds === null ? reply : { ...reply, retryAfterSeconds: options.retryAfterSeconds };
  const throttled = withRetryAfter(GATEWAY.throttled);
  const quotaExceeded = withRetryAfter(GATEWAY.quotaExceeded);
  const faultReplies: Record<AnsweringFault, Reply> = {
    '500': GATEWAY.internalError,
    '502': GATEWAY.badGateway,
    '503': GATEWAY.serviceUnavailable,
    '403': GATEWAY.accessDenied,
    html: GATEWAY.cloudFrontError,
    throttle: throttled,
    quota: quotaExceeded,
    expired: GATEWAY.tokenExpired,
  };
  // API Gateway ids look like `Ab1CdEfGhIJKLmn=`; a per-server prefix and a counter keep them unique and cheap.
  const apigwIdPrefix = randomBytes(6).toString('base64url').slice(0, 7);
  let apigwCounter = 0;

  const respond = (res: ServerResponse, exchange: Exchange, reply: Reply): void => {
    stats.answered(exchange.routeKey, reply.status);
    writeReply(res, reply, exchange);
  };

  const pickFault = (method: string, path: string, route: Route): ChosenFault | undefined => {
    const target: FaultTarget = { method, path, routePath: route.template, isLogin: route.auth === 'api-key' };
    const fault = deps.faultQueue.take(target) ?? deps.randomFaults.draw(target);
    if (fault !== undefined) stats.faultServed(fault.kind);
    return fault;
  };

  const pipeline = async (req: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<void> => {
    if (declaresBodyTooLarge(req)) {
      respond(res, exchange, GATEWAY.requestTooLarge);
      discardRestOfBody(req);
      return;
    }
    const method = req.method ?? 'GET';
    const target = parseTarget(req.url);
    if (target === null) return respond(res, exchange, GATEWAY.badRequest);
    const match = deps.matchRoute(method, target.path);
    if (match.kind === 'bad-encoding') return respond(res, exchange, GATEWAY.badRequest);
    if (match.kind === 'no-route') return respond(res, exchange, unknownRoute(req));
    const { route } = match;
    exchange.routeKey = route.key;

    let body: Buffer | null = null;
    if (hasBody(req)) {
      const read = await readBody(req);
      if (read === BODY_TOO_LARGE) {
        respond(res, exchange, GATEWAY.requestTooLarge);
        discardRestOfBody(req);
        return;
      }
      body = read;
    }

    const apiKey = acceptedApiKey(req.headers, options.apiKeys);
    if (apiKey === undefined) return respond(res, exchange, GATEWAY.invalidApiKey);
    if (route.auth === 'token') {
      const denied = authorize(req.headers, tokens);
      if (denied !== null) return respond(res, exchange, denied);
    }
    if (route.auth === 'token' || options.throttleLogin) {
      const verdict = deps.usagePlan.admit(apiKey);
      if (verdict === 'throttled') return respond(res, exchange, throttled);
      if (verdict === 'quota-exceeded') return respond(res, exchange, quotaExceeded);
    }

    const fault = pickFault(method, target.path, route);
    if (fault?.kind === 'latency') {
      await deps.sleep(fault.latencyMs, deps.shutdown);
    } else if (fault !== undefined && fault.kind !== '504' && fault.kind !== 'reset') {
      return respond(res, exchange, faultReplies[fault.kind]);
    }

    // The backend runs even when a 504 or reset follows: the work is done, only the answer is lost.
    const reply = route.handle({ params: match.params, query: target.query, body });
    if (fault?.kind === '504') return respond(res, exchange, GATEWAY.integrationTimeout);
    if (fault?.kind === 'reset') {
      stats.connectionReset();
      req.socket.destroy();
      return;
    }
    respond(res, exchange, reply);
  };

  return (req, res) => {
    stats.requestStarted();
    // In flight until the answer is gone and the handler is done: a client that hangs up during
    // a latency fault leaves the backend working (it still creates the order).
    let open = 2;
    const done = (): void => {
      open -= 1;
      if (open === 0) stats.requestClosed();
    };
    res.once('close', done);
    apigwCounter += 1;
    const exchange: Exchange = {
      requestId: randomUUID(),
      apigwId: `${apigwIdPrefix}${apigwCounter.toString(36).padStart(8, '0')}=`,
      routeKey: UNMATCHED_ROUTE,
    };
    pipeline(req, res, exchange).catch(() => {
      // Whatever went wrong, the client gets API Gateway's 500, never a hung socket.
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      respond(res, exchange, GATEWAY.internalError);
    }).finally(done);
  };
}

/**
 * API Gateway answers an unknown path or method with 403 Missing Authentication Token, or,
 * when an Authorization header is present, with a complaint about its SigV4 signature.
 */
function unknownRoute(req: IncomingMessage): Reply {
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization === '') return GATEWAY.missingAuthenticationToken;
  return incompleteSignature(authorization, (value) => createHash('sha256').update(value).digest('base64'));
}
