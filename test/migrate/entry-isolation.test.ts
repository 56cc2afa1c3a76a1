import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const root = resolve(__dirname, '../..');
const dist = join(root, 'packages/migrate/dist');
/** Packages only the CLI needs: none may load with the library. */
const CLI_ONLY = ['commander', 'cli-table3', 'cli-progress', 'jiti', '@swc/core', 'picocolors'];

/** The packages (node_modules/<name>) a child node has loaded after running `script`. */
function loadedPackages(script: string): string[] {
  const probe = `(async () => { ${script} })().then(() => {
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*node_modules)/.exec(file);
      if (m) names.add(m[1]);
    }
    console.log(JSON.stringify([...names].sort()));
  });`;
  const out = execFileSync(process.execPath, ['-e', probe], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out);
}

describe('@fbs/migrate: the library entry loads nothing of the CLI', function () {
  this.timeout(120_000);
  before(function () {
    this.timeout(240_000);
    if (!existsSync(join(dist, 'cli.js')) || !existsSync(join(dist, 'index.mjs'))) {
      execFileSync('pnpm', ['--filter', '@fbs/migrate...', 'build'], { cwd: root, stdio: 'ignore', timeout: 220_000 });
    }
  });

  it("require('@fbs/migrate') and building a Migrator load no commander, tables, progress bars, config loader or compiler", () => {
    const loaded = loadedPackages(`
      const { Migrator, defineConfig } = require(${JSON.stringify(join(dist, 'index.js'))});
      const { createProject } = require('@fbs/core');
      const project = createProject({ databases: { default: 'postgres://127.0.0.1:1/unused' }, apps: [] });
      new Migrator(project);
      defineConfig({ project });`);
    expect(loaded, 'the library loads its own dependencies').to.include.members(['umzug', 'sequelize']);
    expect(loaded.filter((name) => CLI_ONLY.includes(name))).to.deep.equal([]);
  });

  it('the ESM entry (import) loads none of them either', () => {
    const loaded = loadedPackages(`
      const { Migrator } = await import(${JSON.stringify(join(dist, 'index.mjs'))});
      if (typeof Migrator !== 'function') throw new Error('no Migrator');`);
    expect(loaded).to.include.members(['umzug', 'sequelize']);
    expect(loaded.filter((name) => CLI_ONLY.includes(name))).to.deep.equal([]);
  });

  it('@fbs/migrate/cli does load them (the check above can fail)', () => {
    const loaded = loadedPackages(`require(${JSON.stringify(join(dist, 'cli.js'))});`);
    expect(loaded).to.include.members(['commander', 'cli-table3', 'cli-progress']);
  });
});
