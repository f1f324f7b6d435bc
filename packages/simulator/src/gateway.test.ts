import { describe, expect, it } from 'vitest';
import { call, describeResponse, login, startForTest } from './test-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('API Gateway behaviour', () => {
  it('answers unknown paths and methods with 403 Missing Authentication Token', async () => {
    const sim = await startForTest();

    for (const [method, path] of [['GET', '/shipments'], ['PUT', '/orders'], ['POST', '/orders/1'], ['GET', '/orders/1/extra']] as const) {
      expect(await describeResponse(await call(sim, method, path))).toEqual({
        status: 403,
        type: 'application/json',
        errorType: 'MissingAuthenticationTokenException',
        body: '{"message":"Missing Authentication Token"}',
      });
    }
    expect(sim.stats().byRoute['unmatched']).toEqual({ 403: 4 });
  });

  it('reads an Authorization header on an unknown route as a bad SigV4 signature', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    const bearer = await call(sim, 'GET', '/shipments', { token: `Bearer ${token}` });
    expect(bearer.status).toBe(403);
    expect(bearer.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    const { message } = (await bearer.json()) as { message: string };
    expect(message).toMatch(/^Invalid key=value pair \(missing equal-sign\) in Authorization header/);
    expect(message).not.toContain(token);

    const withEquals = await call(sim, 'DELETE', '/stock', { token: 'Credential=abc' });
    expect(withEquals.status).toBe(403);
    expect(withEquals.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(((await withEquals.json()) as { message: string }).message).toMatch(/^Authorization header requires 'Credential' parameter\./);
  });

  it('puts a request id and an apigw id on every response, distinct per request', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    const responses = await Promise.all([
      call(sim, 'GET', '/stock', { token }),
      call(sim, 'GET', '/orders/1', { token }),
      call(sim, 'GET', '/nowhere'),
      call(sim, 'GET', '/stock', { apiKey: null }),
    ]);

    const requestIds = responses.map((res) => res.headers.get('x-amzn-requestid'));
    const apigwIds = responses.map((res) => res.headers.get('x-amz-apigw-id'));
    for (const id of requestIds) expect(id).toMatch(UUID);
    for (const id of apigwIds) expect(id).toMatch(/^[\w-]{15}=$/);
    expect(new Set(requestIds).size).toBe(4);
    expect(new Set(apigwIds).size).toBe(4);
  });

  it('sends x-amzn-ErrorType on gateway errors only, and an exact content-length', async () => {
    const sim = await startForTest();
    const token = await login(sim);

    const backend404 = await call(sim, 'GET', '/orders/42', { token });
    expect(backend404.headers.get('x-amzn-errortype')).toBeNull();
    expect(backend404.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await backend404.text();
    expect(Number(backend404.headers.get('content-length'))).toBe(Buffer.byteLength(text));

    const ok = await call(sim, 'GET', '/stock', { token });
    expect(ok.headers.get('x-amzn-errortype')).toBeNull();
    expect(Number(ok.headers.get('content-length'))).toBe(Buffer.byteLength(await ok.text()));
  });
});
