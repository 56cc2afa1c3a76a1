import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['cjs', 'esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    // __filename in the ESM build (the pg driver is resolved next to sequelize).
    shims: true,
    target: 'node20',
    // @swc/core is installed, so tsup emits decorator metadata (sequelize-typescript needs it).
    tsconfig: '../../tsconfig.base.json',
  },
  {
    // The fbs-migrate bin (CommonJS, with its shebang).
    entry: ['src/cli.ts'],
    format: ['cjs'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    tsconfig: '../../tsconfig.base.json',
  },
]);
