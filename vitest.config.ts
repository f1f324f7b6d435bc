import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import the workspace packages by name; these aliases point them at the sources,
// so a test run never depends on a stale build.
export default defineConfig({
  resolve: {
    alias: {
      '@quivo-resilience/core': src('core'),
      '@quivo-resilience/axios': src('axios'),
      '@quivo-resilience/fetch': src('fetch'),
      '@quivo-resilience/simulator': src('simulator'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    typecheck: { tsconfig: './tsconfig.typecheck.json', include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'] },
    testTimeout: 20000,
    restoreMocks: true,
  },
});
