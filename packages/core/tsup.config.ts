import { defineConfig, type Options } from 'tsup';

// p-retry is ESM-only. The CommonJS build bundles it so that `require()` works on every
// supported Node version, not only where require(esm) is available.
const shared: Options = { entry: ['src/index.ts'], dts: true, sourcemap: true, target: 'node20' };

export default defineConfig([
  { ...shared, format: ['esm'] },
  { ...shared, format: ['cjs'], noExternal: ['p-retry', 'is-network-error'] },
]);
