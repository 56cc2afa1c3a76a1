import { defineConfig } from 'tsup';

// One implementation: the CommonJS build, with the library and the fbs-migrate bin sharing chunks
// (a config file the CLI loads that imports @fbs/migrate gets the CLI's own classes). The ESM entry
// (dist/index.mjs, index.d.mts) is a thin re-export of it, written by ../core/scripts/esm-entries.mjs
// after tsup (see `build` in package.json and docs/packaging.md).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['cjs'],
  splitting: true,
  // Rollup bundles the CommonJS chunks (tsup's own CJS splitting turns `import()` into `require()`).
  treeshake: true,
  // Class names survive the chunk bundler's renames (errors set `name` from `new.target.name`).
  keepNames: true,
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // @swc/core is installed, so tsup emits decorator metadata (sequelize-typescript needs it).
  tsconfig: '../../tsconfig.base.json',
});
