import { isQuivoError, type QuivoError } from '@quivo-resilience/core';
import { describe, expect, it } from 'vitest';
import { createQuivoFetch, quivoErrorFromResponse, type QuivoRequestInit } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { createFakePolicy } from './support/fake-policy.js';

const capture = useCaptureServer();

const notFound = { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Order with ID 12311231 not found' };

describe('fetch semantics (the default)', () => {
  it('resolves a non-2xx answer as a Response whose body is unread and readable', async () => {
    capture.current.reply(notFound);
    const response = await createQuivoFetch(createFakePolicy(capture.current.url))(`${capture.current.url}/orders/12311231`);
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('Order with ID 12311231 not found');
  });

  it('quivoErrorFromResponse gives the error the policy classified, without reading the response', async () => {
    capture.current.reply(notFound);
    const response = await createQuivoFetch(createFakePolicy(capture.current.url))(`${capture.current.url}/orders/12311231`);
    const error = await quivoErrorFromResponse(response);
    expect(error).toMatchObject({ name: 'QuivoError', code: 'NOT_FOUND', status: 404, message: 'Order with ID 12311231 not found' });
    expect(await quivoErrorFromResponse(response)).toBe(error);
    expect(response.bodyUsed).toBe(false);
  });

  it('a 2xx answer resolves as is', async () => {
    const response = await createQuivoFetch(createFakePolicy(capture.current.url))(`${capture.current.url}/stock`);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('throwHttpErrors', () => {
  it('rejects a non-2xx answer with its QuivoError', async () => {
    capture.current.reply(notFound);
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url), { throwHttpErrors: true });
    const error = (await quivoFetch(`${capture.current.url}/orders/12311231`).catch((e: unknown) => e)) as QuivoError;
    expect(isQuivoError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, method: 'GET' });
    // The Response is the cause, its body still unread, as ky's HTTPError keeps it.
    expect(error.cause).toBeInstanceOf(Response);
    expect(await (error.cause as Response).text()).toBe('Order with ID 12311231 not found');
  });

  it('applies after the policy is done: a 503 that a retry cured resolves', async () => {
    capture.current.reply({ status: 503, body: 'Service Unavailable' });
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url), { throwHttpErrors: true });
    expect((await quivoFetch(`${capture.current.url}/stock`)).status).toBe(200);
    expect(capture.current.requests).toHaveLength(2);
  });

  it('can be set per request in init.quivo, both ways', async () => {
    capture.current.reply(notFound, notFound);
    const throwing = createQuivoFetch(createFakePolicy(capture.current.url), { throwHttpErrors: true });
    const lenient: QuivoRequestInit = { quivo: { throwHttpErrors: false } };
    expect((await throwing(`${capture.current.url}/orders/1`, lenient)).status).toBe(404);
    const strict: QuivoRequestInit = { quivo: { throwHttpErrors: true } };
    await expect(createQuivoFetch(createFakePolicy(capture.current.url))(`${capture.current.url}/orders/1`, strict)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('throwHttpErrors and redirects', () => {
  it('a 3xx kept by redirect: "manual" is not 2xx, so it rejects too', async () => {
    capture.current.reply({ status: 302, headers: { location: '/elsewhere' } });
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url), { throwHttpErrors: true });
    await expect(quivoFetch(`${capture.current.url}/moved`, { redirect: 'manual' })).rejects.toMatchObject({ name: 'QuivoError', code: 'HTTP_ERROR', status: 302 });
    const lenient = createQuivoFetch(createFakePolicy(capture.current.url));
    capture.current.reply({ status: 302, headers: { location: '/elsewhere' } });
    expect((await lenient(`${capture.current.url}/moved`, { redirect: 'manual' })).status).toBe(302);
  });
});

describe('quivoErrorFromResponse on any Response', () => {
  it('reads the body from a clone, so the response stays readable', async () => {
    const response = new Response(JSON.stringify({ message: 'Too Many Requests' }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException' },
    });
    const error = await quivoErrorFromResponse(response, { method: 'POST', url: 'https://api.quivo.example/orders?token=secret' });
    expect(error).toMatchObject({ code: 'THROTTLED', status: 429, method: 'POST', message: 'Too Many Requests' });
    expect(error.url).not.toContain('secret');
    expect(await response.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('builds the error from status and headers when the body was already read', async () => {
    const response = new Response('Internal server error', { status: 500, statusText: 'Internal Server Error' });
    await response.text();
    const error = await quivoErrorFromResponse(response);
    expect(error).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('caps what it reads of a huge body', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const error = await quivoErrorFromResponse(new Response(huge, { status: 400 }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(String(error.body ?? '').length).toBeLessThanOrEqual(64 * 1024);
  });
});
