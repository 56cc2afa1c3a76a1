// One root config for the whole workspace. Tests run the TypeScript sources through ts-node (swc,
// which emits decorator metadata); `--conditions=fbs-source` makes `@fbs/*` imports resolve to src/.
// The spec globs are given by the scripts (`pnpm test:all`, or `pnpm test:only FILES…`), so that
// files named on the command line replace the suite instead of adding to it.
module.exports = {
  require: ['ts-node/register', './test/harness/hooks.ts'],
  'node-option': ['conditions=fbs-source'],
  extension: ['ts'],
  timeout: 30000,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'spec',
};
