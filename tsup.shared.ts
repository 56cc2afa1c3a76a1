import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: one implementation, the CommonJS build, with the entries sharing
 * chunks (one copy of each class for every entry and bin). The ESM entries (dist/*.mjs, *.d.mts) are
 * thin re-exports of it, written by packages/core/scripts/esm-entries.mjs after tsup (see `build`
 * in each package.json and docs/packaging.md).
 */
export function packageConfig(entry: string[] | Record<string, string>, options: { dts?: string[]; external?: Options['external'] } = {}) {
  return defineConfig({
    entry,
    format: ['cjs'],
    splitting: true,
    // Rollup bundles the CommonJS chunks (tsup's own CJS splitting turns `import()` into `require()`).
    treeshake: true,
    // Class names survive the chunk bundler's renames (errors set `name` from `new.target.name`).
    keepNames: true,
    dts: options.dts ? { entry: options.dts } : true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: options.external,
    // @swc/core is installed, so tsup emits decorator metadata (sequelize-typescript needs it).
    tsconfig: '../../tsconfig.base.json',
  });
}
