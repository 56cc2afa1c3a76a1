import { cp, mkdtemp, rm, unlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MigrationPlanError } from '@fbs/migrate';
import { FIXTURE, fixtureDatabases, runInProcess } from './cli-harness';
import { createTable, defineApp, history, makeProject, tables, type TestProject } from './helpers';

describe('conflicting migrations (two 0003_* of one app) are an error before anything runs', () => {
  let t: TestProject | undefined;
  afterEach(() => t?.close());

  it('up, down and plan name both and run nothing; status and check report them', async () => {
    t = await makeProject(['default'], [
      defineApp({ label: 'fbs_app', migrations: [createTable('0001_initial', 'a'), createTable('0002_b', 'b'), createTable('0002_c', 'c'), createTable('0003_d', 'd')] }),
    ]);
    expect(t.migrator.conflicts()).to.deep.equal([{ appLabel: 'fbs_app', number: '0002', names: ['fbs_app/0002_b', 'fbs_app/0002_c'] }]);
    for (const call of [() => t!.migrator.up(), () => t!.migrator.plan(), () => t!.migrator.down()]) {
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(MigrationPlanError);
      expect((error as Error).message).to.contain("app 'fbs_app': 'fbs_app/0002_b' and 'fbs_app/0002_c' share the number 0002 and neither depends on the other")
        .and.contain("add `dependencies: ['fbs_app/0002_b']` to 'fbs_app/0002_c'").and.contain('Nothing was run.');
    }
    expect(await tables(t.names.default!)).to.deep.equal([]);
    const [status] = await t.migrator.status();
    expect(status!.conflicts).to.deep.equal([{ appLabel: 'fbs_app', number: '0002', names: ['fbs_app/0002_b', 'fbs_app/0002_c'] }]);
    const [verdict] = await t.migrator.check();
    expect(verdict!.ok).to.equal(false);
    expect(verdict!.problems.map((p) => p.kind)).to.deep.equal(['pending', 'conflict']);
  });

  it('a dependency of one on the other (direct or through another app) resolves it', async () => {
    t = await makeProject(['default'], [
      defineApp({ label: 'other', migrations: [createTable('0001_x', 'x', { dependencies: ['fbs_app/0002_b'] })] }),
      defineApp({ label: 'fbs_app', migrations: [createTable('0001_initial', 'a'), createTable('0002_b', 'b'), createTable('0002_c', 'c', { dependencies: ['other/0001_x'] })] }),
    ], { routers: [{ allowMigrate: () => true }] });
    expect(t.migrator.conflicts()).to.deep.equal([]);
    const report = await t.migrator.up();
    expect(report.failed).to.equal(0);
    expect(await history(t.names.default!)).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_b', 'other/0001_x', 'fbs_app/0002_c']);
  });
});

describe('up --check / status --check (CI)', () => {
  let names: Record<string, string>;
  let env: Record<string, string>;
  let root: string;
  beforeEach(async () => {
    const dbs = await fixtureDatabases(['default', 'licensing']);
    names = dbs.names;
    root = await mkdtemp(path.join(tmpdir(), 'wf-check-'));
    await cp(path.join(FIXTURE, 'migrations'), root, { recursive: true });
    env = { FBS_TEST_DATABASES: dbs.env, FBS_TEST_MIGRATIONS_ROOT: root };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('exit 1 with the pending migrations per database, applying nothing; exit 0 once applied', async () => {
    for (const command of [['up', '--all', '--check'], ['status', '--check']]) {
      const result = await runInProcess(command, env);
      expect(result.code, command.join(' ')).to.equal(1);
      expect(result.stdout).to.contain('default: pending: 2 pending: fbs_app/0001_initial, fbs_app/0002_fail_when_asked (apply with `fbs-migrate up --database default`)');
      expect(result.stdout).to.contain('licensing: pending: 3 pending: fbs_license_manager/0001_initial').and.contain('2 of 2 database(s) are not up to date.');
    }
    expect(await history(names.default!)).to.equal(undefined);
    expect((await runInProcess(['up', '--all'], env)).code).to.equal(0);
    const ok = await runInProcess(['status', '--check', '--json'], env);
    expect(ok.code, ok.stdout).to.equal(0);
    expect(JSON.parse(ok.stdout)).to.deep.equal({ ok: true, databases: [{ alias: 'default', ok: true, problems: [] }, { alias: 'licensing', ok: true, problems: [] }] });
  });

  it('exit 1 for an edited migration, an unknown one and a conflict, each with its reason; up refuses the conflict (exit 2) and changes nothing', async () => {
    expect((await runInProcess(['up', '--all'], env)).code).to.equal(0);
    await appendFile(path.join(root, 'fbs_app/0001_initial.js'), '// edited after it was applied\n');
    await unlink(path.join(root, 'fbs_license_manager/0003_after.js'));
    const check = await runInProcess(['up', '--all', '--check', '--json'], env);
    expect(check.code).to.equal(1);
    const verdicts = JSON.parse(check.stdout).databases as { alias: string; problems: { kind: string; names: string[] }[] }[];
    expect(verdicts.map((v) => [v.alias, v.problems.map((p) => [p.kind, p.names])])).to.deep.equal([
      ['default', [['edited', ['fbs_app/0001_initial']]]],
      ['licensing', [['unknown', ['fbs_license_manager/0003_after']]]],
    ]);
    const text = await runInProcess(['status', '--check'], env);
    expect(text.stdout).to.contain('default: edited: edited after they were applied (checksum differs): fbs_app/0001_initial (restore the applied version, or accept the edit with `fbs-migrate history accept NAME --database default`)');
    expect(text.stdout).to.contain('licensing: unknown: recorded as applied, but no app ships them: fbs_license_manager/0003_after');

    await writeFile(path.join(root, 'fbs_app/0002_other_branch.js'), "exports.up = async ({ sequelize }) => { await sequelize.query('CREATE TABLE other_branch (id int)'); };\n");
    const conflict = await runInProcess(['status', '--check', '--database', 'default'], env);
    expect(conflict.code).to.equal(1);
    expect(conflict.stdout).to.contain("default: conflict: conflicting migrations of app 'fbs_app': fbs_app/0002_fail_when_asked and fbs_app/0002_other_branch share the number 0002");
    const up = await runInProcess(['up', '--all'], env);
    expect(up.code).to.equal(2);
    expect(up.stderr).to.contain("'fbs_app/0002_fail_when_asked' and 'fbs_app/0002_other_branch' share the number 0002");
    expect(await tables(names.default!)).not.to.include('other_branch');
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked']);
  });
});
