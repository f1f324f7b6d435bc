import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact.js';
import { redactBody } from './redact-body.js';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('drops userinfo and redacts credential query values, keeping the rest as written', () => {
    expect(redactUrl('https://me:pa55word@api.quivo.com/orders?page=2&token=abc&apiKey=def#top')).toBe('https://api.quivo.com/orders?page=2&token=[REDACTED]&apiKey=[REDACTED]#top');
  });

  it('knows AWS presigned and OAuth parameters, in any case', () => {
    const url = 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA&X-Amz-Signature=ff00&X-Amz-Security-Token=IQo&code=oauth&ACCESS_TOKEN=t&id_token=i&key=g&password=p&secret=s&signature=x';
    expect(redactUrl(url)).toBe('https://b.s3.amazonaws.com/k?X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&X-Amz-Security-Token=[REDACTED]&code=[REDACTED]&ACCESS_TOKEN=[REDACTED]&id_token=[REDACTED]&key=[REDACTED]&password=[REDACTED]&secret=[REDACTED]&signature=[REDACTED]');
  });

  it('redacts a fragment of parameters (OAuth implicit flow) and relative URLs', () => {
    expect(redactUrl('https://app.example/cb#access_token=abc&state=1')).toBe('https://app.example/cb#access_token=[REDACTED]&state=1');
    expect(redactUrl('/orders?token=abc')).toBe('/orders?token=[REDACTED]');
  });

  it('is idempotent and caps very long URLs', () => {
    const once = redactUrl('https://api.quivo.com/a?token=abc');
    expect(redactUrl(once)).toBe(once);
    expect(redactUrl(`https://api.quivo.com/${'a'.repeat(100_000)}`).length).toBeLessThanOrEqual(2048);
  });
});

describe('createRedactor', () => {
  const redactor = createRedactor(['hunter2-S3CRET', 'p@ss word!']);

  it('replaces every literal secret, URL-encoded too', () => {
    expect(redactor.scrub('pw hunter2-S3CRET and p%40ss%20word! and p@ss word!')).toBe('pw [REDACTED] and [REDACTED] and [REDACTED]');
  });

  it('recognises credentials it was not told about', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdEFGH';
    expect(redactor.scrub(`Authorization: Bearer abc.def`)).toBe('Authorization: [REDACTED]');
    expect(redactor.scrub(`token ${jwt} expired`)).toBe('token [REDACTED] expired');
    expect(redactor.scrub('username=bob&password=letmein')).toBe('username=bob&password=[REDACTED]');
    expect(redactor.scrub('{"user":"bob","password":"let\\"me\\"in"}')).toBe('{"user":"bob","password":"[REDACTED]"}');
    expect(redactor.scrub('GET https://u:p@api.quivo.com/x?apiKey=k failed')).toBe('GET https://api.quivo.com/x?apiKey=[REDACTED] failed');
  });

  it('keeps ordinary messages intact', () => {
    for (const message of ['The incoming token has expired', 'positions: must not be null', 'Order with ID 12311231 not found', 'Invalid key=value pair (missing equal-sign) in Authorization header']) {
      expect(redactor.scrub(message)).toBe(message);
    }
  });

  it('scrubs before cutting, so a secret across the cut leaves no prefix', () => {
    const text = `${'x'.repeat(1015)}hunter2-S3CRET`;
    expect(redactor.scrubCapped(text, 1024)).not.toContain('hunt');
  });

  it('is idempotent', () => {
    const once = redactor.scrub('Authorization: Bearer abc password=x https://a:b@h/?token=t');
    expect(redactor.scrub(once)).toBe(once);
  });
});

describe('redactBody', () => {
  const redactor = createRedactor([]);

  it('copies objects with credential keys redacted, at any depth', () => {
    const body = { user: { name: 'bob', password: 'x', apiKey: 'k' }, Token: 't', list: [{ secret: 's' }] };
    expect(redactBody(body, redactor)).toEqual({ user: { name: 'bob', password: '[REDACTED]', apiKey: '[REDACTED]' }, Token: '[REDACTED]', list: [{ secret: '[REDACTED]' }] });
    expect(body.user.password).toBe('x');
  });

  it('keeps big objects as cut JSON text and cuts long strings', () => {
    const big = redactBody({ rows: Array.from({ length: 10_000 }, (_, i) => i) }, redactor);
    expect(typeof big).toBe('string');
    expect((big as string).length).toBeLessThanOrEqual(8192);
    expect((redactBody('y'.repeat(100_000), redactor) as string).length).toBeLessThanOrEqual(8192);
  });

  it('survives cycles, throwing getters, bigints and __proto__ keys', () => {
    const cyclic: Record<string, unknown> = { a: 1n };
    cyclic['self'] = cyclic;
    Object.defineProperty(cyclic, 'bad', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(redactBody(cyclic, redactor)).toEqual({ a: '1', self: '[Circular]' });
    const proto = redactBody(JSON.parse('{"__proto__":{"polluted":true}}'), redactor) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
