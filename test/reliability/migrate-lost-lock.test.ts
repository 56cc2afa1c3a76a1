import { expect } from 'chai';
import { ALL, bankState, lockSessions, migrator, onCluster, report, untilSleeping, useBuiltCliAndCluster, bankDatabase } from './migrate-harness';

describe('reliability: exactly once when the migration lock\'s session dies', function () {
  this.timeout(120_000);
  const clusterOf = useBuiltCliAndCluster();

  it('pg_terminate_backend on the lock session mid-run: a second migrator does not double the balance again; history has one row; the first report is truthful', async () => {
    const { query, env } = await bankDatabase(clusterOf(), 'bank_killed');
    const first = migrator(['up', '--all', '--json'], { ...env, FBS_TEST_SLOW_MS: '6000' });
    let second: ReturnType<typeof migrator> | undefined;
    try {
      await untilSleeping(query, 'the first migrator to be inside 0002_double');
      const sessions = await lockSessions(query);
      expect(sessions, 'one idle session holds the migration lock').to.have.length(1);
      await query('SELECT pg_terminate_backend($1)', [sessions[0]]);
      second = migrator(['up', '--all', '--json'], env);
      const [a, b] = await Promise.all([first.result, second.result]);
      const state = await bankState(query);
      expect(state.balance, 'doubled exactly once').to.equal(200);
      expect(state.runs['bank/0002_double:up']).to.equal(1);
      expect(state.history).to.deep.equal(ALL);
      const ra = report(a).databases[0]!;
      const rb = report(b).databases[0]!;
      // The first run committed 0002 (under its fence) and says so; then it noticed the lost lock and stopped.
      expect(ra.applied).to.include('bank/0002_double');
      expect(ra.outcome, a.stdout).to.equal('failed');
      expect(ra.error?.code).to.equal('FBS_MIGRATION_LOCK_LOST');
      expect(a.code).to.equal(1);
      expect(b.code, b.stderr).to.equal(0);
      // Between them, every migration was applied once, and each report lists only what it committed.
      expect([...ra.applied, ...rb.applied].sort()).to.deep.equal(ALL);
      expect(ra.pending).to.deep.equal(ALL.filter((n) => !ra.applied.includes(n)));
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
    }
  });

  it('the lock session dies during a transaction: false migration: the second migrator waits for its fence and does not run it again', async () => {
    const { query, env } = await bankDatabase(clusterOf(), 'bank_killed_cic');
    const first = migrator(['up', '--all', '--json'], { ...env, FBS_TEST_INDEX_PAUSE_MS: '6000' });
    let second: ReturnType<typeof migrator> | undefined;
    try {
      await untilSleeping(query, 'the first migrator to be inside 0003_index');
      // The fenced session (holding 0003's fence) is busy sleeping: the only idle holder is the run lock's session.
      const sessions = await lockSessions(query);
      expect(sessions).to.have.length(1);
      await query('SELECT pg_terminate_backend($1)', [sessions[0]]);
      second = migrator(['up', '--all', '--json'], env);
      const [a, b] = await Promise.all([first.result, second.result]);
      const state = await bankState(query);
      expect(state.runs['bank/0003_index:up'], 'CREATE INDEX CONCURRENTLY ran once').to.equal(1);
      expect(state.history).to.deep.equal(ALL);
      const ra = report(a).databases[0]!;
      const rb = report(b).databases[0]!;
      expect(ra.applied).to.deep.equal(ALL.slice(0, 3));
      expect(ra.error?.code).to.equal('FBS_MIGRATION_LOCK_LOST');
      expect(rb.applied).to.deep.equal(['bank/0004_audit']);
      expect(b.code, b.stderr).to.equal(0);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
    }
  });

  it('idle_session_timeout shorter than a migration: the lock session is kept alive, a second migrator waits and applies nothing again', async () => {
    await clusterOf().query("CREATE DATABASE bank_idle");
    await clusterOf().query("ALTER DATABASE bank_idle SET idle_session_timeout = '1s'");
    const query = onCluster(clusterOf(), 'bank_idle');
    const env = { FBS_TEST_DATABASES: JSON.stringify({ default: clusterOf().url('bank_idle') }) };
    const first = migrator(['up', '--all', '--json'], { ...env, FBS_TEST_SLOW_MS: '4000' });
    let second: ReturnType<typeof migrator> | undefined;
    try {
      await untilSleeping(query, 'the first migrator to be inside 0002_double');
      await new Promise((r) => setTimeout(r, 1500)); // past the timeout: an idle lock session would be gone now
      expect(await lockSessions(query), 'the lock session survived idle_session_timeout').to.have.length(1);
      second = migrator(['up', '--all', '--json'], env);
      const [a, b] = await Promise.all([first.result, second.result]);
      expect(a.code, a.stderr).to.equal(0);
      expect(b.code, b.stderr).to.equal(0);
      expect(report(a).databases[0]!.applied).to.deep.equal(ALL);
      expect(report(b).databases[0]!.applied).to.deep.equal([]);
      const state = await bankState(query);
      expect(state.balance).to.equal(200);
      expect(state.runs['bank/0002_double:up']).to.equal(1);
      expect(state.history).to.deep.equal(ALL);
    } finally {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
    }
  });
});
