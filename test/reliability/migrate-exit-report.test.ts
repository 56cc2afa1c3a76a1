import path from 'node:path';
import { expect } from 'chai';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';
import { ensureBuilt, runInProcess } from '../migrate/cli-harness';
import { ALL, BANK, bankState, migrator, report, untilSleeping, type Query } from './migrate-harness';

const SOLUTIONS_FIXTURE = path.join(__dirname, '../solutions/fixtures/cli');

describe('reliability: fbs-migrate exits with what happened', function () {
  this.timeout(90_000);
  before(function () {
    this.timeout(240_000);
    ensureBuilt();
  });

  async function bank(): Promise<{ database: string; env: Record<string, string>; query: Query }> {
    const [database] = await createDatabases(1, 'rel');
    const server = await testServer();
    return {
      database: database!,
      env: { FBS_TEST_DATABASES: JSON.stringify({ default: server.url(database!) }) },
      query: (sql, params) => queryDatabase(database!, sql, params),
    };
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during up: the migration in flight is rolled back, locks released, what was and was not applied printed, exit 130`, async () => {
      const { env, query } = await bank();
      const child = migrator(['up', '--all'], { ...env, FBS_TEST_SLOW_MS: '60000' });
      try {
        await untilSleeping(query, '0002_double to be in flight');
        const sent = Date.now();
        child.kill(signal);
        const result = await child.result;
        expect(Date.now() - sent, 'the sleeping statement is cancelled, not waited for').to.be.below(10_000);
        expect(result.code, result.stderr).to.equal(130);
        expect(result.stderr).to.contain('interrupted: stopping after the current migration');
        expect(result.stderr).to.contain("'bank/0002_double' (up) was in flight and was rolled back");
        expect(result.stdout).to.match(/Not applied/);
        expect(result.stdout).to.match(/default\s*│\s*STOPPED\s*│\s*bank\/0001_accounts\s*│\s*bank\/0002_double/);
        expect(result.stdout).to.contain('bank/0004_audit');
        const state = await bankState(query);
        expect(state.history).to.deep.equal(['bank/0001_accounts']);
        expect(state.balance, 'the doubling was rolled back').to.equal(100);
        expect(await query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).to.deep.equal([]);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }

  it('SIGINT with --json: the report says aborted, what committed and what is still pending', async () => {
    const { env, query } = await bank();
    const child = migrator(['up', '--all', '--json'], { ...env, FBS_TEST_SLOW_MS: '60000' });
    try {
      await untilSleeping(query, '0002_double to be in flight');
      child.kill('SIGINT');
      const result = await child.result;
      expect(result.code).to.equal(130);
      const json = report(result);
      expect(json.aborted).to.equal(true);
      expect(json.databases[0]).to.deep.include({ outcome: 'aborted', applied: ['bank/0001_accounts'], pending: ALL.slice(1) });
      expect(json.databases[0]!.error!.code).to.equal('FBS_MIGRATION_ABORTED');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a migration failing after others committed: the table and --json list what was applied and what was not', async () => {
    const { env, query } = await bank();
    const fail = { ...env, FBS_TEST_FAIL: 'bank/0004_audit:up' };
    const table = await runInProcess(['up', '--all'], fail, { cwd: BANK });
    expect(table.code).to.equal(1);
    expect(table.stdout).to.match(/default\s*│\s*FAILED\s*│\s*bank\/0001_accounts\s*│\s*bank\/0004_audit/);
    expect(table.stdout).to.contain('bank/0003_index');
    expect(table.stderr).to.contain("Migration 'bank/0004_audit' (up) failed on database 'default'");
    expect((await bankState(query)).history).to.deep.equal(ALL.slice(0, 3));
  });

  it('a failure in --json after commits: applied and pending, in order', async () => {
    const { env } = await bank();
    const json = await runInProcess(['up', '--all', '--json'], { ...env, FBS_TEST_FAIL: 'bank/0003_index:up' }, { cwd: BANK });
    expect(json.code).to.equal(1);
    // 0003 is transaction: false: its index was built, then it threw, so it is not recorded and not applied.
    expect(report(json).databases[0]).to.deep.include({ outcome: 'failed', applied: ALL.slice(0, 2), pending: ALL.slice(2) });
  });

  it('down that stops halfway lists what it reverted and what it did not', async () => {
    const { env, query } = await bank();
    expect((await runInProcess(['up', '--all'], env, { cwd: BANK })).code).to.equal(0);
    const down = await runInProcess(['down', '--all', '--step', '3', '--json'], { ...env, FBS_TEST_FAIL: 'bank/0002_double:down' }, { cwd: BANK });
    expect(down.code).to.equal(1);
    expect(report(down).databases[0]).to.deep.include({ outcome: 'failed', reverted: ['bank/0004_audit', 'bank/0003_index'], pending: ['bank/0002_double'] });
    expect((await bankState(query)).history).to.deep.equal(ALL.slice(0, 2));
    const rest = await runInProcess(['down', '--all', '--step', '2'], env, { cwd: BANK });
    expect(rest.code, rest.stderr).to.equal(0);
    expect(rest.stdout).to.match(/default\s*│\s*ok\s*│\s*bank\/0002_double/);
  });

  it('--solution with an unknown or invalid name exits 2 and names the CLI command, not the API', async () => {
    const [system] = await createDatabases(1, 'rel');
    const env = { FBS_TEST_SYSTEM_URL: (await testServer()).url(system!) };
    const unknown = await runInProcess(['up', '--solution', 'zeta'], env, { cwd: SOLUTIONS_FIXTURE });
    expect(unknown.code, unknown.stderr).to.equal(2);
    expect(unknown.stderr).to.contain('`fbs-solutions create zeta`');
    expect(unknown.stderr).to.not.contain("create('zeta')");
    const invalid = await runInProcess(['status', '--solution', 'Bad Name'], env, { cwd: SOLUTIONS_FIXTURE });
    expect(invalid.code, invalid.stderr).to.equal(2);
    expect(invalid.stderr).to.contain('--solution "Bad Name" is not a valid solution name');
    expect(invalid.stderr).to.contain('`fbs-solutions list`');
  });
});
