import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The published build, loaded by plain Node (not through vitest's resolver, which points the
// workspace packages at their sources): CommonJS consumers require() it, ESM ones import it.
// CI builds before it tests; locally run `npx -y pnpm@10 --filter @quivo-resilience/axios... run build`.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

// Sends one request through attachQuivo with a function adapter: 503 first, then 200, and
// reports what the consumer sees. `random: () => 0` makes the backoff 0 ms.
const body = `
const attempts = [];
const instance = axios.create({
  baseURL: 'https://api.quivo.test',
  adapter: async (config) => {
    attempts.push(config.headers.get('X-Api-Key'));
    const status = attempts.length === 1 ? 503 : 200;
    return { status, statusText: '', headers: {}, data: JSON.stringify({ n: attempts.length }), config, request: {} };
  },
});
const policy = core.createQuivoPolicy({
  baseURL: 'https://api.quivo.test',
  apiKey: 'dist-key',
  rateLimit: false,
  clock: { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h), random: () => 0 },
});
const eject = quivoAxios.attachQuivo(instance, policy);
const response = await instance.get('/stock');
const failure = await instance.get('/stock', { quivo: { retry: false }, adapter: async (config) => ({ status: 404, statusText: '', headers: {}, data: 'Order with ID 1 not found', config, request: {} }) }).catch((error) => error);
eject();
process.stdout.write(JSON.stringify({
  exports: Object.keys(quivoAxios).sort(),
  data: response.data,
  attempts,
  failure: { isQuivoError: core.isQuivoError(failure), code: failure.code, causeStatus: failure.cause.response.status },
}));
`;

const commonJs = `(async () => {
const axios = require('axios');
const core = require('@quivo-resilience/core');
const quivoAxios = require('./dist/index.cjs');
${body}
})().catch((error) => { console.error(error); process.exit(1); });`;

const esm = `
import axios from 'axios';
import * as core from '@quivo-resilience/core';
import * as quivoAxios from './dist/index.js';
${body}`;

const expected = {
  exports: ['attachQuivo'],
  data: { n: 2 },
  attempts: ['dist-key', 'dist-key'],
  failure: { isQuivoError: true, code: 'NOT_FOUND', causeStatus: 404 },
};

describe('the built package', () => {
  it('has been built', () => {
    expect(existsSync(`${packageDir}dist/index.cjs`) && existsSync(`${packageDir}dist/index.js`)).toBe(true);
  });

  it('works when require()d from CommonJS', async () => {
    const { stdout } = await run(process.execPath, ['--eval', commonJs], { cwd: packageDir });

    expect(JSON.parse(stdout)).toEqual(expected);
  });

  it('works when imported from an ES module', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', esm], { cwd: packageDir });

    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
