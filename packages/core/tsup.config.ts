import { defineConfig } from 'tsup';

// One implementation: the CommonJS build (code shared by the entries split into chunks, so
// `@fbs/core/embedded` and `@fbs/core` share one FbsError). The ESM entries (dist/*.mjs, *.d.mts)
// are thin re-exports of it, written by scripts/esm-entries.mjs after tsup (see `build` in
// package.json and docs/packaging.md).
export default defineConfig({
  entry: ['src/index.ts', 'src/embedded.ts'],
  format: ['cjs'],
  splitting: true,
  // Rollup bundles the CommonJS chunks (tsup's own CJS splitting turns `import()` into `require()`).
  treeshake: true,
  // Class names survive the chunk bundler's renames (errors set `name` from `new.target.name`).
  keepNames: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // @swc/core is installed, so tsup emits decorator metadata (sequelize-typescript needs it).
  tsconfig: '../../tsconfig.base.json',
});
