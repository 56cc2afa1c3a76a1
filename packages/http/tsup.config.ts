import { defineConfig } from 'tsup';

// One implementation: the CommonJS build, entries sharing chunks. The ESM entries (dist/*.mjs,
// *.d.mts) are thin re-exports of it, written by ../core/scripts/esm-entries.mjs after tsup (see
// `build` in package.json and docs/packaging.md). Express and Fastify are imported for types only.
export default defineConfig({
  entry: ['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/jobs.ts', 'src/nest.ts'],
  format: ['cjs'],
  splitting: true,
  treeshake: true,
  keepNames: true,
  dts: { entry: ['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/jobs.ts', 'src/nest.ts'] },
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['express', 'fastify', /^@nestjs\//, '@fbs/core', '@fbs/solutions'],
  tsconfig: '../../tsconfig.base.json',
});
