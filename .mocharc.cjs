// One root config for the whole workspace. Tests run the TypeScript sources through ts-node (swc,
// which emits decorator metadata); `--conditions=fbs-source` makes `@fbs/*` imports resolve to src/.
module.exports = {
  require: ['ts-node/register', './test/harness/hooks.ts'],
  'node-option': ['conditions=fbs-source'],
  // FBS_SPEC=glob[,glob] runs a subset (files given on the command line add to `spec`).
  spec: process.env.FBS_SPEC ? process.env.FBS_SPEC.split(',') : ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
  extension: ['ts'],
  timeout: 30000,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'spec',
};
