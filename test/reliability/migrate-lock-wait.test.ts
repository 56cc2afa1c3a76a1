import { expect } from 'chai';
import { ALL, bankState, lockSessions, migrator, report, untilSleeping, useBuiltCliAndCluster, bankDatabase } from './migrate-harness';

describe('reliability: waiting for the migration lock never deadlocks', function () {
  this.timeout(120_000);
  const clusterOf = useBuiltCliAndCluster();

  it('two `fbs-migrate up` at once, one running CREATE INDEX CONCURRENTLY (transaction: false): both finish, each migration once', async () => {
    const { query, env: base } = await bankDatabase(clusterOf(), 'bank_cic');
    const env = { ...base, FBS_TEST_INDEX_PAUSE_MS: '2500' };
    const runs = [migrator(['up', '--all', '--json'], env), migrator(['up', '--all', '--json'], env)];
    try {
      const started = Date.now();
      const results = await Promise.race([
        Promise.all(runs.map((r) => r.result)),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the two migrators are still running after 40 s: deadlocked')), 40_000)),
      ]);
      expect(Date.now() - started).to.be.below(40_000);
      for (const r of results) expect(r.code, r.stderr).to.equal(0);
      expect(results.flatMap((r) => report(r).databases[0]!.applied).sort()).to.deep.equal(ALL);
      expect((await bankState(query)).history).to.deep.equal(ALL);
      expect(await query("SELECT indexname FROM pg_indexes WHERE indexname = 'bank_account_balance'")).to.have.length(1);
    } finally {
      for (const r of runs) r.kill('SIGKILL');
    }
  });

  it('--lock-timeout gives up with an error naming the holder (server pid, application_name, since when); nothing runs', async () => {
    const { query, env } = await bankDatabase(clusterOf(), 'bank_timeout');
    const holder = migrator(['up', '--all'], { ...env, FBS_TEST_SLOW_MS: '8000' });
    try {
      await untilSleeping(query, 'the holder to be inside 0002_double');
      const [pid] = await lockSessions(query);
      const started = Date.now();
      const waiter = await migrator(['up', '--all', '--lock-timeout', '1s'], env).result;
      expect(Date.now() - started).to.be.below(8000);
      expect(waiter.code).to.equal(1);
      expect(waiter.stderr).to.contain("Gave up after waiting 1000 ms for the migration lock of database 'default'");
      expect(waiter.stderr).to.contain(`server pid ${pid}, application_name 'fbs-migrate', from 127.0.0.1`);
      expect(waiter.stderr).to.match(/holding it since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
      expect(waiter.stderr).to.contain("Nothing ran on 'default'");
      expect(waiter.stdout).to.match(/default\s*│\s*FAILED/);
      expect((await holder.result).code).to.equal(0);
      expect((await bankState(query)).runs['bank/0002_double:up']).to.equal(1);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
