import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from './support/capture-server.js';

const source = (pkg: string) => fileURLToPath(new URL(`../../${pkg}/src/index.ts`, import.meta.url));

/** The fetch package and core, from their sources, bundled as a browser would get them. */
async function bundleForBrowser(format: 'esm' | 'iife') {
  const result = await build({
    entryPoints: [source('fetch')],
    alias: { '@quivo-resilience/core': source('core') },
    bundle: true,
    platform: 'browser',
    format,
    globalName: 'QuivoFetch',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile as Metafile };
}

describe('browser build', () => {
  it('bundles for platform "browser" with no Node builtin anywhere in the graph', async () => {
    // esbuild fails a browser build that imports a Node builtin; the checks below also catch
    // one that was marked external or slipped in as a bare `require`.
    const { code, metafile } = await bundleForBrowser('esm');
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => path.startsWith('node:'))).toEqual([]);
    expect(Object.values(metafile.outputs).flatMap((output) => output.imports)).toEqual([]);
    expect(code).not.toMatch(/\brequire\(|from ["']node:|\bprocess\.|\bBuffer\b/);
  });

  describe('runs with web globals only', () => {
    let server: CaptureServer;
    beforeAll(async () => {
      server = await startCaptureServer();
    });
    afterAll(() => server.close());

    it('a call goes through with credentials, in a vm context that has no Node globals', async () => {
      const { code } = await bundleForBrowser('iife');
      const webGlobals = {
        fetch,
        Headers,
        Request,
        Response,
        AbortController,
        AbortSignal,
        DOMException,
        URL,
        URLSearchParams,
        Blob,
        FormData,
        ReadableStream,
        TextEncoder,
        TextDecoder,
        setTimeout,
        clearTimeout,
        queueMicrotask,
        performance,
      };
      const context = vm.createContext({ ...webGlobals });
      vm.runInContext(code, context);
      const run = vm.runInContext(
        `(async (baseURL) => {
          const quivoFetch = QuivoFetch.createQuivoFetch({ baseURL, apiKey: 'browser-key', rateLimit: false });
          const response = await quivoFetch(baseURL + '/stock', { headers: { accept: 'application/json' } });
          return { status: response.status, body: await response.json(), hasProcess: typeof process, hasRequire: typeof require };
        })`,
        context,
      ) as (baseURL: string) => Promise<unknown>;

      expect(await run(server.url)).toEqual({ status: 200, body: { ok: true }, hasProcess: 'undefined', hasRequire: 'undefined' });
      expect(server.requests[0]?.headers['x-api-key']).toBe('browser-key');
    });
  });
});
