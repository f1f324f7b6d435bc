import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { call, describeResponse, login, startForTest } from './test-helpers.js';

const UNAUTHORIZED = { status: 401, type: 'application/json', errorType: 'UnauthorizedException', body: '{"message":"Unauthorized"}' };
const EXPIRED = {
  status: 401,
  type: 'application/json',
  errorType: 'UnauthorizedException',
  body: '{"message":"The incoming token has expired"}',
};

describe('gateway auth on resource routes', () => {
  it('accepts the raw token and "Bearer <token>"', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { token: `Bearer ${token}` })).status).toBe(200);
  });

  it('checks the API key before the token: 403 Forbidden even with a valid token', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    expect(await describeResponse(await call(sim, 'GET', '/orders', { apiKey: null, token }))).toEqual({
      status: 403,
      type: 'application/json',
      errorType: 'ForbiddenException',
      body: '{"message":"Forbidden"}',
    });
    expect((await call(sim, 'GET', '/orders', { apiKey: 'other-key' })).status).toBe(403);
  });

  it('answers 401 Unauthorized without a token, or with one it did not issue', async () => {
    const sim = await startForTest();
    const other = await startForTest();
    const foreignToken = await login(other);

    expect(await describeResponse(await call(sim, 'GET', '/orders'))).toEqual(UNAUTHORIZED);
    expect(await describeResponse(await call(sim, 'GET', '/orders', { token: 'not-a-jwt' }))).toEqual(UNAUTHORIZED);
    expect(await describeResponse(await call(sim, 'GET', '/orders', { token: foreignToken }))).toEqual(UNAUTHORIZED);
  });

  it('answers 401 "The incoming token has expired" once the injected clock passes exp', async () => {
    const clock = createManualClock();
    const sim = await startForTest({ clock, tokenLifetimeSeconds: 60 });
    const token = await login(sim);

    clock.advance(59_999);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    clock.advance(1);
    expect(await describeResponse(await call(sim, 'GET', '/stock', { token }))).toEqual(EXPIRED);

    const fresh = await login(sim);
    expect((await call(sim, 'GET', '/stock', { token: fresh })).status).toBe(200);
  });

  it('expireTokens() expires every token issued so far, not later ones', async () => {
    const sim = await startForTest();
    const before = await login(sim);

    sim.expireTokens();

    expect(await describeResponse(await call(sim, 'GET', '/stock', { token: before }))).toEqual(EXPIRED);
    expect((await call(sim, 'GET', '/stock', { token: await login(sim) })).status).toBe(200);
  });

  it('revokeTokens() makes every token issued so far unknown', async () => {
    const sim = await startForTest();
    const before = sim.issueToken();

    sim.revokeTokens();

    expect(await describeResponse(await call(sim, 'GET', '/stock', { token: before }))).toEqual(UNAUTHORIZED);
    expect((await call(sim, 'GET', '/stock', { token: sim.issueToken() })).status).toBe(200);
    expect(sim.stats().logins).toBe(0);
  });
});
