// The project's own mocha config: the @fbs/testing root hooks (spec/setup.ts) give every run its
// test databases and every test its rollback. `fbs-source` resolves the workspace's @fbs/* to src/
// (a project installing the packages from a registry drops that line).
module.exports = {
  require: ['ts-node/register', './spec/setup.ts'],
  'node-option': ['conditions=fbs-source'],
  extension: ['ts'],
  spec: ['spec/**/*.spec.ts'],
  timeout: 30000,
};
