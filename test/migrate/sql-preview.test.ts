import { expect } from 'chai';
import { queryDatabase } from '../harness/postgres';
import { fixtureDatabases, runInProcess } from './cli-harness';
import { createTable, defineApp, history, makeProject, tables, type TestProject } from './helpers';

describe('plan --sql / sqlmigrate: the SQL a migration would run, from a rolled-back dry run', () => {
  let t: TestProject | undefined;
  afterEach(() => t?.close());

  const apps = () => [
    defineApp({
      label: 'app',
      migrations: [
        createTable('0001_a', 'a'),
        { name: '0002_note', up: ({ queryInterface }: any) => queryInterface.addColumn('a', 'note', { type: 'TEXT' }), down: () => undefined },
        { name: '0003_index', transaction: false, up: ({ sequelize }: any) => sequelize.query('CREATE INDEX CONCURRENTLY a_note ON a (note)') },
        createTable('0004_b', 'b'),
      ],
    }),
  ];

  it('every pending migration with its statements, in order; transaction: false listed as not previewable; nothing persists', async () => {
    t = await makeProject(['default'], apps(), { routers: [{ allowMigrate: () => true }] });
    const [preview] = await t.migrator.sql();
    expect(preview!.alias).to.equal('default');
    const byName = Object.fromEntries(preview!.migrations.map((m) => [m.name, m]));
    expect(Object.keys(byName)).to.deep.equal(['app/0001_a', 'app/0002_note', 'app/0003_index', 'app/0004_b']);
    expect(byName['app/0001_a']!.sql.join('\n')).to.match(/CREATE TABLE IF NOT EXISTS "a"/);
    expect(byName['app/0002_note']!.sql.join('\n')).to.match(/ALTER TABLE "public"\."a" ADD COLUMN "note" TEXT|ALTER TABLE "a" ADD COLUMN "note" TEXT/);
    expect(byName['app/0003_index']).to.deep.include({ previewable: false, sql: [] });
    expect(byName['app/0003_index']!.reason).to.contain('transaction: false');
    expect(byName['app/0004_b']!.previewable).to.equal(true);
    expect(await tables(t.names.default!)).to.deep.equal([]);
    expect(await history(t.names.default!)).to.equal(undefined);
  });

  it('name: one migration, after a dry run of the pending ones before it; only what is pending once some are applied', async () => {
    t = await makeProject(['default'], apps(), { routers: [{ allowMigrate: () => true }] });
    const [one] = await t.migrator.sql({ name: 'app/0002_note' });
    expect(one!.migrations.map((m) => m.name)).to.deep.equal(['app/0002_note']);
    expect(one!.migrations[0]!.sql.join('\n')).to.contain('ADD COLUMN "note" TEXT');
    await t.migrator.up({ to: 'app/0001_a' });
    const [rest] = await t.migrator.sql();
    expect(rest!.migrations.map((m) => m.name)).to.deep.equal(['app/0002_note', 'app/0003_index', 'app/0004_b']);
    expect(await queryDatabase(t.names.default!, "SELECT column_name FROM information_schema.columns WHERE table_name = 'a' ORDER BY 1")).to.deep.equal([{ column_name: 'id' }]);
  });

  it('CLI: plan --sql and sqlmigrate print the statements per database; a failing dry run is exit 1 with its reason, and changes nothing', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const plan = await runInProcess(['plan', '--sql', '--database', 'default'], { FBS_TEST_DATABASES: env });
    expect(plan.code, plan.stderr).to.equal(0);
    expect(plan.stdout).to.contain('-- default: fbs_app/0001_initial\n').and.contain('-- default: fbs_app/0002_fail_when_asked\nALTER TABLE fbs_app_odoo_database ADD COLUMN url TEXT;');
    const one = await runInProcess(['sqlmigrate', 'fbs_app/0002_fail_when_asked', '--database', 'default', '--json'], { FBS_TEST_DATABASES: env });
    expect(one.code, one.stderr).to.equal(0);
    expect(JSON.parse(one.stdout)).to.deep.equal([{ alias: 'default', migrations: [{ name: 'fbs_app/0002_fail_when_asked', previewable: true, sql: ['ALTER TABLE fbs_app_odoo_database ADD COLUMN url TEXT'] }] }]);
    const failing = await runInProcess(['sqlmigrate', 'fbs_app/0002_fail_when_asked', '--database', 'default'], { FBS_TEST_DATABASES: env, FBS_TEST_FAIL: 'fbs_app/0002_fail_when_asked' });
    expect(failing.code).to.equal(1);
    expect(failing.stdout).to.contain('(its dry run failed: asked to fail)');
    const typo = await runInProcess(['sqlmigrate', 'fbs_app/0009_nope', '--all'], { FBS_TEST_DATABASES: env });
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain('No migration is named "fbs_app/0009_nope"');
    expect(await tables(names.default!)).to.deep.equal([]);
  });
});
