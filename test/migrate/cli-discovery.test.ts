import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { adminQuery, testServer, uniqueDatabaseName } from '../harness/postgres';
import { ROOT, runInProcess } from './cli-harness';
import { history } from './helpers';

/** A project with an app that has migrations and two that have none yet (empty folders). */
const CONFIG = `import path from 'node:path';
import { createProject, defineApp } from '@fbs/core';
import { defineConfig } from '@fbs/migrate';

export default defineConfig({
  project: () => createProject({
    databases: { default: process.env.WF_DATABASE_URL! },
    routers: [{ allowMigrate: () => true }],
    apps: [
      defineApp({ label: 'billing', migrations: path.join(__dirname, 'migrations/billing') }),
      defineApp({ label: 'inventory', migrations: path.join(__dirname, 'migrations/inventory') }),
      defineApp({ label: 'shipping', migrations: path.join(__dirname, 'migrations/shipping') }),
    ],
  }),
});
`;
const MIGRATION = `module.exports = { up: ({ queryInterface }) => queryInterface.createTable('invoices', { id: { type: 'INTEGER', primaryKey: true } }) };\n`;

describe('fbs-migrate: config discovery, create, apps with no migrations yet', function () {
  this.timeout(60_000);
  let dir: string;
  let env: Record<string, string>;
  let db: string;
  beforeEach(async () => {
    const server = await testServer();
    db = uniqueDatabaseName('wf');
    await adminQuery(`CREATE DATABASE "${db}"`);
    env = { WF_DATABASE_URL: server.url(db) };
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    dir = mkdtempSync(path.join(ROOT, '.tmp', 'wf-discovery-'));
    writeFileSync(path.join(dir, 'fbs.config.ts'), CONFIG);
    for (const app of ['billing', 'inventory', 'shipping']) mkdirSync(path.join(dir, 'migrations', app), { recursive: true });
    writeFileSync(path.join(dir, 'migrations/billing/0001_initial.js'), MIGRATION);
    mkdirSync(path.join(dir, 'src/deep/er'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds fbs.config.ts in a directory above the working directory', async () => {
    const result = await runInProcess(['up', '--all'], env, { cwd: path.join(dir, 'src/deep/er') });
    expect(result.code, result.stderr).to.equal(0);
    expect(await history(db)).to.deep.equal(['billing/0001_initial']);
  });

  it('fbs.config.ts and fbs.config.js in one directory: an error naming both, and nothing runs', async () => {
    writeFileSync(path.join(dir, 'fbs.config.js'), 'module.exports = {};\n');
    const result = await runInProcess(['up', '--all'], env, { cwd: path.join(dir, 'src') });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain(`${dir} holds 2 config files: ${path.join(dir, 'fbs.config.ts')} and ${path.join(dir, 'fbs.config.js')}. Keep one of them, or pass --config PATH.`);
    expect(await history(db)).to.equal(undefined);
    // --config settles it
    const chosen = await runInProcess(['up', '--all', '--config', '../fbs.config.ts'], env, { cwd: path.join(dir, 'src') });
    expect(chosen.code, chosen.stderr).to.equal(0);
  });

  it('status and plan say which apps have no migrations yet', async () => {
    for (const command of ['status', 'plan']) {
      const result = await runInProcess([command, '--all'], env, { cwd: dir });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout, command).to.contain('inventory: no migrations yet (write the first with `fbs-migrate create --app inventory --name initial`)');
      expect(result.stdout, command).to.contain('shipping: no migrations yet');
      expect(result.stdout, command).not.to.contain('billing: no migrations yet');
    }
  });

  it('create makes the missing migrations folder of a new app, and suggests the closest label for a typo (creating nothing)', async () => {
    rmSync(path.join(dir, 'migrations/shipping'), { recursive: true });
    const typo = await runInProcess(['create', '--app', 'shiping', '--name', 'initial'], env, { cwd: dir });
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain("No app is labelled 'shiping'. Did you mean 'shipping'? Apps: billing, inventory, shipping.");
    expect(existsSync(path.join(dir, 'migrations/shipping'))).to.equal(false);
    const far = await runInProcess(['create', '--app', 'zzz', '--name', 'initial'], env, { cwd: dir });
    expect(far.stderr).to.contain("No app is labelled 'zzz'. Apps:");
    const made = await runInProcess(['create', '--app', 'shipping', '--name', 'initial'], env, { cwd: dir });
    expect(made.code, made.stderr).to.equal(0);
    expect(made.stdout).to.contain(`Created the migrations folder ${path.join(dir, 'migrations/shipping')}`);
    expect(readdirSync(path.join(dir, 'migrations/shipping'))).to.deep.equal(['0001_initial.ts']);
    const again = await runInProcess(['create', '--app', 'shipping', '--name', 'second'], env, { cwd: dir });
    expect(again.stdout).not.to.contain('Created the migrations folder');
    expect(readdirSync(path.join(dir, 'migrations/shipping')).sort()).to.deep.equal(['0001_initial.ts', '0002_second.ts']);
  });
});
