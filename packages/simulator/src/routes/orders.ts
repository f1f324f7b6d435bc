import { GATEWAY } from '../gateway-responses.js';
import { parseJsonObject } from '../json-body.js';
import type { OrderStore } from '../order-store.js';
import { jsonReply, NO_CONTENT, type Reply, textReply } from '../reply.js';
import type { BackendRequest, Route } from '../router.js';
import type { StatsRecorder } from '../stats.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const PAGE_TOKEN_PREFIX = 'after:';
const POSITIONS_REQUIRED = textReply(400, 'positions: must not be null');
const BAD_PAGE_SIZE = textReply(400, `pageSize: must be between 1 and ${MAX_PAGE_SIZE}`);
const BAD_PAGE_TOKEN = textReply(400, 'pageToken: invalid');

/** The order resource: create, list (paged), read, merge-update, delete. */
export function orderRoutes(deps: { store: OrderStore; stats: StatsRecorder }): Route[] {
  const { store, stats } = deps;
  const notFound = (id: string): Reply => textReply(404, `Order with ID ${id} not found`);

  const create = ({ body }: BackendRequest): Reply => {
    const fields = parseJsonObject(body);
    if (fields === undefined) return GATEWAY.invalidBody;
    if (fields['positions'] === undefined || fields['positions'] === null) return POSITIONS_REQUIRED;
    const { order, duplicate } = store.create(fields);
    stats.orderCreated(duplicate);
    return jsonReply(201, order);
  };

  const list = ({ query }: BackendRequest): Reply => {
    const params = new URLSearchParams(query);
    const sizeParam = params.get('pageSize');
    const size = sizeParam === null ? DEFAULT_PAGE_SIZE : Number(sizeParam);
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return BAD_PAGE_SIZE;
    const tokenParam = params.get('pageToken');
    const after = tokenParam === null || tokenParam === '' ? null : decodePageToken(tokenParam);
    if (after === undefined) return BAD_PAGE_TOKEN;
    const page = store.page(size, after);
    return jsonReply(200, {
      orders: page.orders,
      nextPageToken: page.continueAfter === null ? null : encodePageToken(page.continueAfter),
    });
  };

  const read = ({ params }: BackendRequest): Reply => {
    const id = params['id'] ?? '';
    const order = store.get(id);
    return order === undefined ? notFound(id) : jsonReply(200, order);
  };

  const update = ({ params, body }: BackendRequest): Reply => {
    const fields = parseJsonObject(body);
    if (fields === undefined) return GATEWAY.invalidBody;
    const id = params['id'] ?? '';
    const order = store.update(id, fields);
    return order === undefined ? notFound(id) : jsonReply(200, order);
  };

  const remove = ({ params }: BackendRequest): Reply => {
    const id = params['id'] ?? '';
    return store.delete(id) ? NO_CONTENT : notFound(id);
  };

  return [
    { method: 'POST', template: '/orders', key: 'POST /orders', auth: 'token', handle: create },
    { method: 'GET', template: '/orders', key: 'GET /orders', auth: 'token', handle: list },
    { method: 'GET', template: '/orders/{id}', key: 'GET /orders/{id}', auth: 'token', handle: read },
    { method: 'PATCH', template: '/orders/{id}', key: 'PATCH /orders/{id}', auth: 'token', handle: update },
    { method: 'DELETE', template: '/orders/{id}', key: 'DELETE /orders/{id}', auth: 'token', handle: remove },
  ];
}

// Opaque to clients; inside it is the id of the last order they saw.
function encodePageToken(afterId: number): string {
  return Buffer.from(`${PAGE_TOKEN_PREFIX}${afterId}`).toString('base64url');
}

function decodePageToken(token: string): number | undefined {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith(PAGE_TOKEN_PREFIX)) return undefined;
  const digits = decoded.slice(PAGE_TOKEN_PREFIX.length);
  return /^\d{1,15}$/.test(digits) ? Number(digits) : undefined;
}
