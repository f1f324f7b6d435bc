import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { call, CREDENTIALS, describeResponse, startForTest } from './test-helpers.js';

function decodePayload(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('POST /login', () => {
  it('answers a JWT-shaped token whose exp is now + the configured lifetime', async () => {
    const clock = createManualClock(Date.UTC(2025, 5, 1, 12));
    const sim = await startForTest({ clock, tokenLifetimeSeconds: 600 });

    const res = await call(sim, 'POST', '/login', { body: CREDENTIALS });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const { Token } = (await res.json()) as { Token: string };
    expect(Token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const iat = Date.UTC(2025, 5, 1, 12) / 1000;
    expect(decodePayload(Token)).toMatchObject({ sub: 'demo', iat, exp: iat + 600 });
  });

  it('defaults to a one-hour token and gives every token its own jti', async () => {
    const sim = await startForTest();
    const tokens = await Promise.all(
      [1, 2, 3].map(async () => ((await (await call(sim, 'POST', '/login', { body: CREDENTIALS })).json()) as { Token: string }).Token),
    );
    const payloads = tokens.map(decodePayload);
    for (const payload of payloads) expect(Number(payload['exp']) - Number(payload['iat'])).toBe(3600);
    expect(new Set(payloads.map((payload) => payload['jti'])).size).toBe(3);
  });

  it('accepts configured users and counts successful logins', async () => {
    const sim = await startForTest({ users: [{ username: 'ops', password: 's3cret' }] });

    expect((await call(sim, 'POST', '/login', { body: { username: 'ops', password: 's3cret' } })).status).toBe(200);
    expect((await call(sim, 'POST', '/login', { body: CREDENTIALS })).status).toBe(401);
    expect(sim.stats().logins).toBe(1);
  });

  it('answers 403 Forbidden without an accepted API key', async () => {
    const sim = await startForTest({ apiKeys: ['key-a', 'key-b'] });

    for (const apiKey of [null, 'test-api-key']) {
      expect(await describeResponse(await call(sim, 'POST', '/login', { apiKey, body: CREDENTIALS }))).toEqual({
        status: 403,
        type: 'application/json',
        errorType: 'ForbiddenException',
        body: '{"message":"Forbidden"}',
      });
    }
    expect((await call(sim, 'POST', '/login', { apiKey: 'key-b', body: CREDENTIALS })).status).toBe(200);
  });

  it('answers 401 with a JSON message for wrong credentials', async () => {
    const sim = await startForTest();

    const res = await call(sim, 'POST', '/login', { body: { username: 'demo', password: 'wrong' } });

    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ message: 'Invalid username or password' });
    expect(sim.stats().logins).toBe(0);
  });

  it('answers 400 Invalid request body for malformed JSON or a body that is not an object', async () => {
    const sim = await startForTest();

    for (const body of ['{"username":', '[]', '']) {
      const res = await call(sim, 'POST', '/login', { body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: 'Invalid request body' });
    }
  });
});
