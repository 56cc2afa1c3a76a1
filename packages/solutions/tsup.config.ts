import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['cjs', 'esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // @swc/core is installed, so tsup emits decorator metadata (sequelize-typescript needs it).
  tsconfig: '../../tsconfig.base.json',
});
