import { expect } from 'chai';
import { createProject } from '@fbs/core';
import { MigrationPlanError, Migrator } from '@fbs/migrate';
import { queryDatabase, testServer } from '../harness/postgres';
import { fixtureDatabases, runInProcess } from './cli-harness';
import { createTable, defineApp, history, makeProject, tables, type TestProject } from './helpers';

const allowAll = [{ allowMigrate: () => true }];

describe('--fake, --fake-initial and history forget/accept', () => {
  let t: TestProject | undefined;
  afterEach(() => t?.close());

  it('fake records the migrations without running them (and down fake erases them), listed in the report', async () => {
    t = await makeProject(['default'], [defineApp({ label: 'app', migrations: [createTable('0001_a', 'a'), createTable('0002_b', 'b')] })], { routers: allowAll });
    const up = await t.migrator.up({ fake: true });
    expect(up.databases).to.deep.equal([{ alias: 'default', outcome: 'ok', applied: ['app/0001_a', 'app/0002_b'], reverted: [], faked: ['app/0001_a', 'app/0002_b'] }]);
    expect(await history(t.names.default!)).to.deep.equal(['app/0001_a', 'app/0002_b']);
    expect(await tables(t.names.default!)).to.deep.equal(['fbs_migrations']);
    const down = await t.migrator.down({ fake: true, step: 1 });
    expect(down.databases[0]).to.include({ outcome: 'ok' }).and.deep.include({ reverted: ['app/0002_b'], faked: ['app/0002_b'] });
    expect(await history(t.names.default!)).to.deep.equal(['app/0001_a']);
    await expect(t.migrator.up({ fake: true, fakeInitial: true })).to.be.rejectedWith(MigrationPlanError, 'Pass either `fake` or `fakeInitial`');
  });

  it("fakeInitial: an app's first migration is faked when every table it creates exists (found by a rolled-back dry run); later ones run", async () => {
    const initial = {
      ...createTable('0001_initial', 'a'),
      async up({ queryInterface }: any) {
        await queryInterface.createTable('a', { id: { type: 'INTEGER', primaryKey: true } });
        await queryInterface.createTable('a_items', { id: { type: 'INTEGER', primaryKey: true }, a_id: { type: 'INTEGER', references: { model: 'a', key: 'id' } } });
      },
    };
    const apps = [defineApp({ label: 'app', migrations: [initial, createTable('0002_b', 'b')] })];
    t = await makeProject(['default', 'fresh'], apps, { routers: allowAll });
    const db = t.names.default!;
    // A database that predates the migrations: its tables exist, with data.
    await queryDatabase(db, 'CREATE TABLE a (id int PRIMARY KEY, note text); INSERT INTO a VALUES (1, \'kept\'); CREATE TABLE a_items (id int PRIMARY KEY, a_id int)');
    const report = await t.migrator.up({ fakeInitial: true });
    for (const d of report.databases) if (d.error) throw d.error;
    expect(report.databases.map((d) => [d.alias, d.applied, d.faked])).to.deep.equal([
      ['default', ['app/0001_initial', 'app/0002_b'], ['app/0001_initial']],
      ['fresh', ['app/0001_initial', 'app/0002_b'], undefined],
    ]);
    expect(await queryDatabase(db, 'SELECT id, note FROM a')).to.deep.equal([{ id: 1, note: 'kept' }]);
    expect(await tables(db)).to.deep.equal(['a', 'a_items', 'b', 'fbs_migrations']);
    expect(await tables(t.names.fresh!)).to.deep.equal(['a', 'a_items', 'b', 'fbs_migrations']);
    // The dry run left no schema behind.
    expect(await queryDatabase(db, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'fbs_dry_run_%'")).to.deep.equal([]);
  });

  it('forget deletes a row (not-recorded where absent); accept records the checksum of an edited migration', async () => {
    t = await makeProject(['default'], [defineApp({ label: 'app', migrations: [createTable('0001_a', 'a'), createTable('0002_b', 'b')] })], { routers: allowAll });
    await t.migrator.up();
    const db = t.names.default!;
    await t.close();
    // The same database, with 0001_a edited after it was applied.
    const edited = createTable('0001_a', 'a', { async up({ queryInterface }: any) { await queryInterface.createTable('a', { id: { type: 'BIGINT', primaryKey: true } }); } });
    const server = await testServer();
    const project = createProject({ databases: { default: server.url(db) }, routers: allowAll, apps: [defineApp({ label: 'app', migrations: [edited, createTable('0002_b', 'b')] })] });
    try {
      const migrator = new Migrator(project);
      expect((await migrator.status())[0]!.migrations.find((m) => m.name === 'app/0001_a')?.checksumMismatch).to.equal(true);
      const [before] = await queryDatabase<{ checksum: string }>(db, "SELECT checksum FROM fbs_migrations WHERE name = 'app/0001_a'");
      const accepted = await migrator.accept('app/0001_a');
      expect(accepted).to.have.length(1);
      expect(accepted[0]).to.include({ alias: 'default', outcome: 'accepted', before: before!.checksum.trim() });
      const [after] = await queryDatabase<{ checksum: string }>(db, "SELECT checksum FROM fbs_migrations WHERE name = 'app/0001_a'");
      expect(after!.checksum.trim()).to.equal(accepted[0]!.after).and.not.equal(before!.checksum.trim());
      expect((await migrator.status())[0]!.migrations.some((m) => m.checksumMismatch)).to.equal(false);
      expect((await migrator.accept('app/0001_a'))[0]!.outcome).to.equal('unchanged');
      await expect(migrator.accept('app/0009_nope')).to.be.rejectedWith(MigrationPlanError, 'No migration is named "app/0009_nope"');

      expect((await migrator.forget('app/0002_b'))[0]).to.include({ outcome: 'forgotten' });
      expect(await history(db)).to.deep.equal(['app/0001_a']);
      expect(await tables(db)).to.include('b');
      expect((await migrator.forget('app/0002_b'))[0]).to.deep.equal({ alias: 'default', outcome: 'not-recorded' });
      await expect(migrator.forget('no-slash')).to.be.rejectedWith(MigrationPlanError, "namespaced name 'app_label/name'");
    } finally {
      await project.close();
    }
  });
});

describe('CLI: up --fake, history forget/accept', () => {
  it('prints FAKED lines and the report marks them; history forget --json says what changed; a missing selection is exit 2', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const e = { FBS_TEST_DATABASES: env };
    const up = await runInProcess(['up', '--database', 'licensing', '--fake'], e);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout).to.match(/^licensing {2}fbs_license_manager\/0001_initial {2}FAKED \d+ ms$/m).and.contain('(faked)');
    expect(await tables(names.licensing!)).to.deep.equal(['fbs_migrations']);
    const forget = await runInProcess(['history', 'forget', 'fbs_license_manager/0003_after', '--database', 'licensing', '--json'], e);
    expect(forget.code, forget.stderr).to.equal(0);
    expect(JSON.parse(forget.stdout)).to.deep.include({ action: 'forget', name: 'fbs_license_manager/0003_after' });
    expect(JSON.parse(forget.stdout).databases[0]).to.include({ alias: 'licensing', outcome: 'forgotten' });
    expect(await history(names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_slow']);
    const none = await runInProcess(['history', 'accept', 'fbs_license_manager/0001_initial'], e);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("Say on which databases to accept 'fbs_license_manager/0001_initial'");
  });
});

describe('CLI: up APP / --app', () => {
  it("up fbs_license_manager applies only that app's migrations on the selected databases", async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const e = { FBS_TEST_DATABASES: env };
    const up = await runInProcess(['up', 'fbs_license_manager', '--all'], e);
    expect(up.code, up.stderr).to.equal(0);
    expect(await history(names.licensing!)).to.have.length(3);
    expect(await history(names.default!)).to.equal(undefined);
    const typo = await runInProcess(['up', '--app', 'fbs_ap', '--all'], e);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain("No app is labelled 'fbs_ap'. Did you mean 'fbs_app'?");
  });
});
