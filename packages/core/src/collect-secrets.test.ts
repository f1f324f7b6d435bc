import { describe, expect, it } from 'vitest';
import { collectSecrets } from './collect-secrets.js';

const none = { headers: [], urls: [], bodies: [], values: [] };

describe('collectSecrets', () => {
  it('takes credential headers whole and by part, but not their scheme', () => {
    const secrets = collectSecrets({ ...none, headers: [{ Authorization: 'Bearer tok-123456789', 'X-Api-Key': 'key-abcdef', Accept: 'application/json' }] });
    expect(secrets).toEqual(expect.arrayContaining(['Bearer tok-123456789', 'tok-123456789', 'key-abcdef']));
    expect(secrets).not.toContain('Bearer');
    expect(secrets).not.toContain('application/json');
  });

  it('opens Basic credentials and cookies', () => {
    const basic = `Basic ${btoa('quivo-user:pa55-word')}`;
    const secrets = collectSecrets({ ...none, headers: [new Headers({ authorization: basic, cookie: 'session=sess-0123456789; theme=dark' })] });
    expect(secrets).toEqual(expect.arrayContaining(['pa55-word', 'quivo-user', 'sess-0123456789']));
  });

  it('takes userinfo and credential query values, raw and decoded', () => {
    const secrets = collectSecrets({ ...none, urls: ['https://me:p%40ss@api.quivo.com/x?token=a%2Fb%2Fc&page=2', new URL('https://api.quivo.com/?apiKey=k-1234')] });
    expect(secrets).toEqual(expect.arrayContaining(['me', 'p%40ss', 'p@ss', 'a%2Fb%2Fc', 'a/b/c', 'k-1234']));
    expect(secrets).not.toContain('2');
  });

  it('takes values under credential keys in object, JSON and form bodies', () => {
    const secrets = collectSecrets({
      ...none,
      bodies: [{ data: { password: 'pw-object', credentials: { username: 'u-nested', password: 'pw-nested' } } }, '{"Token":"tok-json"}', 'username=bob&password=pw-form'],
    });
    expect(secrets).toEqual(expect.arrayContaining(['pw-object', 'u-nested', 'pw-nested', 'tok-json', 'pw-form']));
    expect(secrets).not.toContain('bob');
  });
});
