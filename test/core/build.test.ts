import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { build } from 'tsup';
import { createDatabases, testServer } from '../harness/postgres';

const root = resolve(__dirname, '../..');
const dist = join(root, 'packages/core/dist');

/** Runs node in a child without the fbs-source condition, so `@fbs/core` resolves to dist/. */
function node(args: string[]): string {
  const env = { ...process.env, NODE_OPTIONS: '' };
  return execFileSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' }).trim();
}

describe('built output of @fbs/core', function () {
  this.timeout(120_000);
  before(() => {
    if (!existsSync(join(dist, 'index.js'))) execFileSync('pnpm', ['--filter', '@fbs/core', 'build'], { cwd: root, stdio: 'ignore' });
  });

  it('loads with require and import, with the same exports', () => {
    const cjs = node(['-e', "console.log(Object.keys(require('@fbs/core')).sort().join(','))"]);
    const esm = node(['--input-type=module', '-e', "const m = await import('@fbs/core'); console.log(Object.keys(m).sort().join(','))"]);
    expect(cjs).to.equal(esm);
    for (const name of ['createProject', 'defineApp', 'AppLabelRouter', 'HintRouter', 'RouterChain', 'databasesFromEnv', 'FbsError']) {
      expect(cjs.split(',')).to.include(name);
    }
    expect(node(['-e', "console.log(typeof require('@fbs/core/embedded').startEmbeddedPostgres)"])).to.equal('function');
  });

  it('a tsup build of decorated models emits decorator metadata and runs against the built core', async () => {
    const server = await testServer();
    const [name] = await createDatabases(1, 'build');
    // Inside the workspace, so the bundle resolves sequelize & co. from node_modules.
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const out = mkdtempSync(join(root, '.tmp', 'build-'));
    try {
      await build({
        entry: { model: join(root, 'test/fixtures/decorated-model.ts') },
        outDir: out,
        format: ['cjs'],
        external: ['@fbs/core', 'sequelize', 'sequelize-typescript', 'reflect-metadata'],
        tsconfig: join(root, 'tsconfig.base.json'),
        silent: true,
      });
      const result = JSON.parse(node(['-e', `require(${JSON.stringify(join(out, 'model.js'))}).run(${JSON.stringify(server.url(name!))}).then((r) => console.log(r))`]));
      expect(result.db).to.equal('default');
      expect(result.text).to.equal('hello');
      expect(result.types.text).to.match(/VARCHAR/);
      expect(result.types.pinned).to.equal('BOOLEAN');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
