import { describe, expect, it } from 'vitest';
import { DEFAULT_STOCK } from './routes/stock.js';
import { call, describeResponse, login, newOrder, startForTest } from './test-helpers.js';

interface OrderJson {
  id: number;
  [field: string]: unknown;
}

describe('orders', () => {
  it('creates an order (201, with an id) and reads it back', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    const created = await call(sim, 'POST', '/orders', { token, body: newOrder('A-1') });

    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    const order = (await created.json()) as OrderJson;
    expect(order).toMatchObject({ orderIdentifier: 'A-1', positions: [{ sku: 'QV-1001', quantity: 2 }] });
    expect(Number.isInteger(order.id)).toBe(true);
    const read = await call(sim, 'GET', `/orders/${order.id}`, { token });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(order);
  });

  it('answers 400 text/plain "positions: must not be null" without positions', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    for (const body of [{ orderIdentifier: 'A-1' }, { orderIdentifier: 'A-1', positions: null }]) {
      expect(await describeResponse(await call(sim, 'POST', '/orders', { token, body }))).toEqual({
        status: 400,
        type: 'text/plain; charset=utf-8',
        errorType: null,
        body: 'positions: must not be null',
      });
    }
    expect(sim.stats().ordersCreated).toBe(0);
  });

  it('answers 400 Invalid request body for a body that is not a JSON object', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    for (const body of ['{"positions": [', 'null', '"text"']) {
      expect(await describeResponse(await call(sim, 'POST', '/orders', { token, body }))).toEqual({
        status: 400,
        type: 'application/json',
        errorType: 'BadRequestException',
        body: '{"message":"Invalid request body"}',
      });
    }
  });

  it('answers 404 text/plain "Order with ID {id} not found" for unknown ids', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    for (const [method, body] of [['GET', undefined], ['PATCH', { note: 'x' }], ['DELETE', undefined]] as const) {
      expect(await describeResponse(await call(sim, method, '/orders/12311231', { token, body }))).toEqual({
        status: 404,
        type: 'text/plain; charset=utf-8',
        errorType: null,
        body: 'Order with ID 12311231 not found',
      });
    }
  });

  it('merges a PATCH into the order and keeps its id', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    const order = (await (await call(sim, 'POST', '/orders', { token, body: newOrder('A-1') })).json()) as OrderJson;

    const patched = await call(sim, 'PATCH', `/orders/${order.id}`, { token, body: { id: 1, note: 'leave at door' } });

    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ ...order, note: 'leave at door' });
    expect(await (await call(sim, 'GET', `/orders/${order.id}`, { token })).json()).toEqual({ ...order, note: 'leave at door' });
  });

  it('deletes with 204 and no body, after which the order is gone', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    const order = (await (await call(sim, 'POST', '/orders', { token, body: newOrder('A-1') })).json()) as OrderJson;

    const deleted = await call(sim, 'DELETE', `/orders/${order.id}`, { token });

    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('content-type')).toBeNull();
    expect(await deleted.text()).toBe('');
    expect((await call(sim, 'GET', `/orders/${order.id}`, { token })).status).toBe(404);
  });

  it('pages through orders with pageSize and pageToken, skipping deleted ones', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    const ids: number[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      ids.push(((await (await call(sim, 'POST', '/orders', { token, body: newOrder(`P-${n}`) })).json()) as OrderJson).id);
    }
    await call(sim, 'DELETE', `/orders/${ids[2]}`, { token });

    const seen: number[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const query: string = `pageSize=2${pageToken === null ? '' : `&pageToken=${pageToken}`}`;
      const res = await call(sim, 'GET', `/orders?${query}`, { token });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { orders: OrderJson[]; nextPageToken: string | null };
      seen.push(...page.orders.map((order) => order.id));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== null);

    expect(seen).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    expect(pages).toBe(2);
  });

  it('answers an empty first page with a null nextPageToken, and 400 for bad paging parameters', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    expect(await (await call(sim, 'GET', '/orders', { token })).json()).toEqual({ orders: [], nextPageToken: null });
    expect(await describeResponse(await call(sim, 'GET', '/orders?pageSize=0', { token }))).toMatchObject({
      status: 400,
      body: 'pageSize: must be between 1 and 100',
    });
    expect((await call(sim, 'GET', '/orders?pageToken=garbage', { token })).status).toBe(400);
  });

  it('counts orders re-created with a known orderIdentifier as duplicates', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    await call(sim, 'POST', '/orders', { token, body: newOrder('A-1') });
    await call(sim, 'POST', '/orders', { token, body: newOrder('A-2') });
    await call(sim, 'POST', '/orders', { token, body: newOrder('A-1') });
    await call(sim, 'POST', '/orders', { token, body: { positions: [] } });

    expect(sim.stats()).toMatchObject({ ordersCreated: 4, duplicateOrders: 1 });
  });
});

describe('GET /stock', () => {
  it('lists the stock items, configurable at start', async () => {
    const sim = await startForTest();
    const custom = await startForTest({ stock: [{ sku: 'X', name: 'Thing', quantity: 1, warehouse: 'W' }] });

    const res = await call(sim, 'GET', '/stock', { token: await login(sim) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(DEFAULT_STOCK);
    expect(await (await call(custom, 'GET', '/stock', { token: await login(custom) })).json()).toEqual([
      { sku: 'X', name: 'Thing', quantity: 1, warehouse: 'W' },
    ]);
  });
});
