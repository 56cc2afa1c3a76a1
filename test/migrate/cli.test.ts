import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FIXTURE, fixtureDatabases, runInProcess } from './cli-harness';
import { history, tables } from './helpers';

describe('fbs-migrate CLI (in-process)', () => {
  let names: Record<string, string>;
  let env: { FBS_TEST_DATABASES: string };
  beforeEach(async () => {
    const dbs = await fixtureDatabases(['default', 'licensing', 'djo_acme_db']);
    names = dbs.names;
    env = { FBS_TEST_DATABASES: dbs.env };
  });

  it('follows the seed strategy: up --database licensing, then --database default, then the solution', async () => {
    const lic = await runInProcess(['up', '--database', 'licensing'], env);
    expect(lic.code, lic.stderr).to.equal(0);
    expect(lic.stdout).to.contain('fbs_license_manager/0003_after').and.contain('1 of 1 database(s) ok.');
    expect(await tables(names.default!)).to.deep.equal([]);
    expect((await runInProcess(['up', '-d', 'default'], env)).code).to.equal(0);
    expect((await runInProcess(['up', '--solution', 'acme'], env)).code).to.equal(0);
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked']);
    expect(await history(names.djo_acme_db!)).to.deep.equal(['solution_app/0001_initial']);
    expect(await history(names.licensing!)).to.have.length(3);
  });

  it('--json on up, status, plan and routes prints parseable reports', async () => {
    const plan = await runInProcess(['plan', '--json'], env);
    expect(JSON.parse(plan.stdout).map((p: { alias: string; pending: string[] }) => [p.alias, p.pending.length])).to.deep.equal([['default', 2], ['licensing', 3], ['djo_acme_db', 1]]);
    const up = await runInProcess(['--json', 'up', '--all', '--step', '1'], env);
    expect(up.code).to.equal(0);
    expect(JSON.parse(up.stdout)).to.deep.equal({
      direction: 'up',
      failed: 0,
      aborted: false,
      databases: [
        { alias: 'default', outcome: 'ok', applied: ['fbs_app/0001_initial'], reverted: [] },
        { alias: 'licensing', outcome: 'ok', applied: ['fbs_license_manager/0001_initial'], reverted: [] },
        { alias: 'djo_acme_db', outcome: 'ok', applied: ['solution_app/0001_initial'], reverted: [] },
      ],
    });
    const status = JSON.parse((await runInProcess(['status', '--json', '-d', 'licensing'], env)).stdout);
    expect(status[0].migrations.map((m: { name: string; state: string }) => `${m.name}=${m.state}`)).to.deep.equal([
      'fbs_app/0001_initial=not-routed', 'fbs_app/0002_fail_when_asked=not-routed', 'fbs_license_manager/0001_initial=applied',
      'fbs_license_manager/0002_slow=pending', 'fbs_license_manager/0003_after=pending', 'solution_app/0001_initial=not-routed',
    ]);
    const routes = JSON.parse((await runInProcess(['routes', '--json'], env)).stdout);
    expect(routes).to.deep.equal([
      { model: 'fbs_app.OdooDatabase', read: 'default', write: 'default', migrate: ['default'] },
      { model: 'fbs_license_manager.SolutionLicense', read: 'licensing', write: 'licensing', migrate: ['licensing'] },
    ]);
  });

  it('plan changes nothing', async () => {
    const before = await Promise.all(Object.values(names).map(tables));
    const plan = await runInProcess(['plan'], env);
    expect(plan.code).to.equal(0);
    expect(plan.stdout).to.contain('1. fbs_license_manager/0001_initial').and.contain('3. fbs_license_manager/0003_after');
    expect(await Promise.all(Object.values(names).map(tables))).to.deep.equal(before);
    expect(before.flat()).to.deep.equal([]);
  });

  it('exit 1 when a migration fails: the message names database, migration and cause; the other databases finish with --continue-on-error', async () => {
    const failed = await runInProcess(['up', '--all', '--continue-on-error', '--json'], { ...env, FBS_TEST_FAIL: 'fbs_app/0002_fail_when_asked' });
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.contain("error: Migration 'fbs_app/0002_fail_when_asked' (up) failed on database 'default'").and.contain('asked to fail');
    const report = JSON.parse(failed.stdout);
    expect(report.failed).to.equal(1);
    expect(report.databases[0].error).to.include({ name: 'MigrationFailedError', code: 'FBS_MIGRATION_FAILED' });
    expect(report.databases.map((d: { outcome: string }) => d.outcome)).to.deep.equal(['failed', 'ok', 'ok']);
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial']);
    expect(await history(names.licensing!)).to.have.length(3);
  });

  it('exit 2 for usage and configuration errors, with what to fix', async () => {
    const cases: [string[], string][] = [
      [['up'], 'Say which databases to migrate: --database ALIAS (repeatable), --all'],
      [['up', '--database', 'licencing'], "Unknown database alias 'licencing' (migrator). Configured aliases: 'default', 'licensing', 'djo_acme_db'. Did you mean 'licensing'?"],
      [['up', '--all', '--step', 'two'], "option '--step <n>' argument 'two' is invalid. expected a positive integer, got 'two'."],
      [['up', '--all', '--step', '1', '--to', 'fbs_app/0001_initial'], "option '--to <name>' cannot be used with option '--step <n>'"],
      [['up', '--all', '--to', 'fbs_app/0009_nope'], 'No migration is named "fbs_app/0009_nope"'],
      [['up', '--all', '--bogus'], "error: unknown option '--bogus'"],
      [['frobnicate'], "error: unknown command 'frobnicate'"],
      [['create', '--app', 'fbs_app', '--name', 'Bad Name'], 'is not snake_case'],
      [['create', '--app', 'nope', '--name', 'x'], "No app is labelled 'nope'. Apps: fbs_app, fbs_license_manager, solution_app."],
      [['status', '--config', 'missing.config.ts'], 'missing.config.ts (from --config) does not exist.'],
    ];
    for (const [argv, message] of cases) {
      const result = await runInProcess(argv, env);
      expect(result.code, argv.join(' ')).to.equal(2);
      expect(result.stderr, argv.join(' ')).to.contain(message);
    }
    expect(await Promise.all(Object.values(names).map(tables))).to.deep.equal([[], [], []]);
    const json = await runInProcess(['up', '--database', 'nope', '--json'], env);
    expect(json.code).to.equal(2);
    expect(JSON.parse(json.stdout).error).to.include({ name: 'UnknownDatabaseError', code: 'FBS_UNKNOWN_DATABASE' });
  });

  it('exit 2 when no config file is found, or it exports no project', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'fbs-cli-'));
    try {
      const none = await runInProcess(['status'], env, { cwd: empty });
      expect(none.code).to.equal(2);
      expect(none.stderr).to.contain(`No config file found in ${empty} or any directory above it (looked for fbs.config.ts,`).and.contain('or pass --config PATH');
      await writeFile(path.join(empty, 'fbs.config.cjs'), 'module.exports = { databases: {} };\n');
      const bad = await runInProcess(['status'], env, { cwd: empty });
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.contain('must default-export { project }');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('down --to, --all-solutions and status exit codes', async () => {
    expect((await runInProcess(['up', '--all'], env)).code).to.equal(0);
    const down = await runInProcess(['down', '-d', 'licensing', '--to', 'fbs_license_manager/0002_slow'], env);
    expect(down.code).to.equal(0);
    expect(down.stdout).to.contain('Migrations reverted').and.contain('fbs_license_manager/0003_after');
    expect(await history(names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial']);
    const allDown = await runInProcess(['down', '--all-solutions', '--to', '0', '--json'], { ...env, FBS_TEST_SOLUTIONS: 'acme' });
    expect(JSON.parse(allDown.stdout).databases).to.deep.equal([{ alias: 'djo_acme_db', outcome: 'ok', applied: [], reverted: ['solution_app/0001_initial'] }]);
    const status = await runInProcess(['status'], env);
    expect(status.code).to.equal(0);
    expect(status.stdout).to.contain('│ fbs_license_manager/0002_slow ');
    const unreachable = await runInProcess(['status', '--json'], { FBS_TEST_DATABASES: JSON.stringify({ default: 'postgres://postgres:s3cret@127.0.0.1:1/nowhere' }) });
    expect(unreachable.code).to.equal(1);
    expect(unreachable.stderr).to.contain("Database 'default' (postgres://postgres@127.0.0.1:1/nowhere) is unavailable").and.not.contain('s3cret');
  });

  it('colour and a progress bar only on a TTY', async () => {
    const plain = await runInProcess(['up', '--all'], env);
    expect(plain.stdout + plain.stderr).to.not.contain('\u001b[');
    const tty = await runInProcess(['down', '--all', '--step', '1'], env, { tty: true });
    expect(tty.stdout).to.contain('\u001b[');
    expect(tty.stderr).to.contain('reverting [').and.contain('databases');
    const json = await runInProcess(['up', '--all', '--json'], env, { tty: true });
    expect(json.stderr).to.equal('');
  });

  it('create writes the next numbered migration from the template, and it runs', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'fbs-create-'));
    await cp(path.join(FIXTURE, 'migrations'), root, { recursive: true });
    const withRoot = { ...env, FBS_TEST_MIGRATIONS_ROOT: root };
    try {
      const created = await runInProcess(['create', '--app', 'fbs_app', '--name', 'add_notes', '--json'], withRoot);
      expect(created.code, created.stderr).to.equal(0);
      expect(JSON.parse(created.stdout)).to.deep.equal({ app: 'fbs_app', name: 'fbs_app/0003_add_notes', path: path.join(root, 'fbs_app', '0003_add_notes.js'), createdFolder: false });
      expect(await readdir(path.join(root, 'fbs_app'))).to.deep.equal(['0001_initial.js', '0002_fail_when_asked.js', '0003_add_notes.js']);
      expect(await readFile(path.join(root, 'fbs_app', '0003_add_notes.js'), 'utf8')).to.contain('exports.up = async ({ queryInterface, sequelize }) => {');
      const ts = await runInProcess(['create', '--app', 'solution_app', '--name', 'typed', '--ext', 'ts'], withRoot);
      expect(ts.stdout).to.contain(path.join(root, 'solution_app', '0002_typed.ts'));
      const up = await runInProcess(['up', '--all', '--json'], withRoot);
      expect(up.code, up.stderr).to.equal(0);
      expect(await history(names.default!)).to.include('fbs_app/0003_add_notes');
      expect(await history(names.djo_acme_db!)).to.deep.equal(['solution_app/0001_initial', 'solution_app/0002_typed']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('--help lists every command, exit 0; no arguments prints help, exit 2', async () => {
    const help = await runInProcess(['--help'], env);
    expect(help.code).to.equal(0);
    for (const command of ['up', 'down', 'status', 'plan', 'create', 'routes']) expect(help.stdout).to.match(new RegExp(`^  ${command}\\b`, 'm'));
    const none = await runInProcess([], env);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('Usage: fbs-migrate');
  });
});
