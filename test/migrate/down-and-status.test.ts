import path from 'node:path';
import { mkdtemp, cp, appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { Migrator, MigrationPlanError } from '@fbs/migrate';
import { createProject } from '@fbs/core';
import { queryDatabase } from '../harness/postgres';
import { createTable, defineApp, history, makeProject, tables } from './helpers';

const three = () => defineApp({ label: 'app', migrations: [createTable('0001_a', 'app_a'), createTable('0002_b', 'app_b'), createTable('0003_c', 'app_c')] });

describe('migrate: down, to/step, status and checksums', () => {
  it('down reverts the last one by default, `step` of them, or back to `to` inclusive', async () => {
    const t = await makeProject(['default'], [three()], { routers: [] });
    try {
      await t.migrator.up();
      expect((await t.migrator.down()).databases[0]!.reverted).to.deep.equal(['app/0003_c']);
      expect(await tables(t.names.default!)).to.deep.equal(['app_a', 'app_b', 'fbs_migrations']);
      await t.migrator.up();
      expect((await t.migrator.down({ to: 'app/0002_b' })).databases[0]!.reverted).to.deep.equal(['app/0003_c', 'app/0002_b']);
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_a']);
      // `to` that is not applied any more: nothing to revert.
      expect((await t.migrator.down({ to: 'app/0002_b' })).databases[0]!.reverted).to.deep.equal([]);
      await t.migrator.up({ step: 1 });
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_a', 'app/0002_b']);
      await t.migrator.up({ to: 'app/0003_c' });
      expect((await t.migrator.down({ step: 2 })).databases[0]!.reverted).to.deep.equal(['app/0003_c', 'app/0002_b']);
      expect((await t.migrator.down({ to: 0 })).databases[0]!.reverted).to.deep.equal(['app/0001_a']);
      expect(await tables(t.names.default!)).to.deep.equal(['fbs_migrations']);
    } finally {
      await t.close();
    }
  });

  it('up --to an applied migration does nothing; an unknown name is refused with the app names', async () => {
    const t = await makeProject(['default'], [three()], { routers: [] });
    try {
      await t.migrator.up();
      expect((await t.migrator.up({ to: 'app/0001_a' })).databases[0]!.applied).to.deep.equal([]);
      const error = await t.migrator.up({ to: 'app/0004_d' }).catch((e) => e);
      expect(error).to.be.instanceOf(MigrationPlanError);
      expect(error.message).to.contain('No migration is named "app/0004_d"').and.contain("app 'app' ships app/0001_a, app/0002_b, app/0003_c");
      const both = await t.migrator.up({ to: 'app/0001_a', step: 1 } as any).catch((e) => e);
      expect(both.message).to.equal('Pass either `to` or `step`, not both.');
    } finally {
      await t.close();
    }
  });

  it('down of a migration without down() fails and keeps it applied', async () => {
    const app = defineApp({ label: 'app', migrations: [{ name: '0001_once', up: async () => undefined }] });
    const t = await makeProject(['default'], [app], { routers: [] });
    try {
      await t.migrator.up();
      const report = await t.migrator.down();
      expect(report.databases[0]!.error!.message).to.contain("Migration 'app/0001_once' (down) failed").and.contain('has no down() function');
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_once']);
    } finally {
      await t.close();
    }
  });

  it('loads a folder of TS/JS/ESM migrations through umzug, and status reports an edited file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'fbs-migrations-'));
    await cp(path.join(__dirname, 'fixtures/folder_app'), folder, { recursive: true });
    const app = defineApp({ label: 'folder_app', migrations: folder });
    const t = await makeProject(['default', 'other'], [app], { routers: [{ allowMigrate: (db, _app, hints) => (hints.modelName === 'Thing' ? true : db === 'default') }] });
    try {
      expect(() => t.migrator.fingerprint('default')).to.throw('call `await migrator.load()` first');
      await t.migrator.load();
      expect(t.migrator.migrations()).to.deep.equal(['folder_app/0001_initial', 'folder_app/0002_second', 'folder_app/0003_default_export']);
      const before = t.migrator.fingerprint('default');
      expect(t.migrator.fingerprint('other')).to.not.equal(before);
      await t.migrator.up({ databases: ['default'] });
      expect(await queryDatabase(t.names.default!, 'SELECT id, label FROM folder_app_thing')).to.deep.equal([{ id: 1, label: 'from 0003' }]);

      await appendFile(path.join(folder, '0002_second.js'), '\n// edited after it was applied\n');
      const edited = new Migrator(t.project);
      const [status] = await edited.status({ databases: ['default'] });
      expect(status!.migrations.map((m) => [m.name, m.state, m.checksumMismatch ?? false])).to.deep.equal([
        ['folder_app/0001_initial', 'applied', false],
        ['folder_app/0002_second', 'applied', true],
        ['folder_app/0003_default_export', 'applied', false],
      ]);
      await edited.load();
      expect(edited.fingerprint('default')).to.not.equal(before);
    } finally {
      await t.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('status shows applied, pending, not-routed and unknown (recorded but no longer shipped)', async () => {
    const t = await makeProject(['default', 'licensing'], [three()], { routers: [{ allowMigrate: (db) => db === 'default' }] });
    try {
      await t.migrator.up({ step: 1 });
      await queryDatabase(t.names.default!, "INSERT INTO fbs_migrations (name, app_label, checksum) VALUES ('gone/0001_old', 'gone', repeat('0', 64))");
      const status = await t.migrator.status();
      expect(status.map((s) => [s.alias, s.hasHistory, s.migrations.map((m) => `${m.name}:${m.state}`)])).to.deep.equal([
        ['default', true, ['app/0001_a:applied', 'app/0002_b:pending', 'app/0003_c:pending', 'gone/0001_old:unknown']],
        ['licensing', false, ['app/0001_a:not-routed', 'app/0002_b:not-routed', 'app/0003_c:not-routed']],
      ]);
      expect(status[0]!.migrations[0]!.appliedAt).to.be.instanceOf(Date);
      // status read both databases and closed the pools it opened
      expect(t.project.connections.openAliases()).to.deep.equal([]);
      // An open pool is used as it is (and stays open); the answer is the same.
      await t.project.connection('default').query('SELECT 1');
      expect(await t.migrator.status()).to.deep.equal(status);
      expect(t.project.connections.openAliases()).to.deep.equal(['default']);
      // A database that does not exist: reported for that database, naming its alias, never thrown.
      t.project.addDatabase('gone', t.project.connections.describe('default').replace(/\/[^/]+$/, '/fbs_no_such_database'));
      const [gone] = await t.migrator.status({ databases: ['gone'] });
      expect(gone!.error!.message).to.contain("Database 'gone' (postgres://postgres@127.0.0.1:5432/fbs_no_such_database) is unavailable").and.contain('does not exist');
    } finally {
      await t.close();
    }
  });

  it('a list migration whose function source changed after it was applied is reported', async () => {
    const v1 = { name: '0001_sql', up: async ({ sequelize }: any) => sequelize.query('CREATE TABLE app_v (id INT)') };
    const v2 = { name: '0001_sql', up: async ({ sequelize }: any) => sequelize.query('CREATE TABLE app_v (id BIGINT)') };
    const t = await makeProject(['default'], [defineApp({ label: 'app', migrations: [v1, createTable('0002_b', 'app_b')] })], { routers: [] });
    try {
      await t.migrator.up();
      const edited = new Migrator(
        createProject({ databases: { default: t.project.connections.config('default') }, apps: [defineApp({ label: 'app', migrations: [v2, createTable('0002_b', 'app_b')] })] }),
      );
      const [status] = await edited.status();
      expect(status!.migrations.map((m) => [m.name, m.state, m.checksumMismatch ?? false])).to.deep.equal([
        ['app/0001_sql', 'applied', true],
        ['app/0002_b', 'applied', false],
      ]);
      await edited.project.close();
    } finally {
      await t.close();
    }
  });
});
