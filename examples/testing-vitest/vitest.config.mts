import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// `fbs-source` resolves the workspace's @fbs/* to their src/; a project using the published
// packages drops `resolve`, `ssr` and `environments`.
const resolve = { conditions: ['fbs-source', ...defaultServerConditions], externalConditions: ['fbs-source'] };

export default defineConfig({
  resolve,
  ssr: { resolve },
  // The environment vitest loads globalSetup files in.
  environments: { __vitest__: { resolve } },
  test: {
    include: ['test/**/*.spec.ts'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
