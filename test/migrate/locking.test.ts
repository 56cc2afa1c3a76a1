import { expect } from 'chai';
import { queryDatabase } from '../harness/postgres';
import { ensureBuilt, fixtureDatabases, runInProcess, sleeping, startBin, waitFor } from './cli-harness';
import { history } from './helpers';

const runs = (database: string) =>
  queryDatabase<{ name: string; n: string }>(database, 'SELECT name, count(*) AS n FROM migration_runs GROUP BY name ORDER BY name');

describe('migrate: per-database lock (real processes)', function () {
  this.timeout(120_000);
  before(function () {
    this.timeout(180_000);
    ensureBuilt();
  });

  it('four migrator processes started together apply each migration exactly once', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const children = Array.from({ length: 4 }, () => startBin(['up', '--all', '--json'], { FBS_TEST_DATABASES: env, FBS_TEST_SLOW_MS: '400' }));
    const results = await Promise.all(children.map((c) => c.result));
    for (const r of results) expect(r.code, r.stderr).to.equal(0);
    const applied = results.flatMap((r) => JSON.parse(r.stdout).databases.flatMap((d: { applied: string[] }) => d.applied)).sort();
    expect(applied).to.deep.equal([
      'fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked',
      'fbs_license_manager/0001_initial', 'fbs_license_manager/0002_slow', 'fbs_license_manager/0003_after',
    ]);
    expect(await runs(names.licensing!)).to.deep.equal([
      { name: 'fbs_license_manager/0001_initial', n: '1' },
      { name: 'fbs_license_manager/0002_slow', n: '1' },
      { name: 'fbs_license_manager/0003_after', n: '1' },
    ]);
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked']);
  });

  it('--no-wait fails fast with a clear message while another migrator holds the lock; a waiting one queues behind it', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const slow = startBin(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env, FBS_TEST_SLOW_MS: '3000' });
    await waitFor(() => sleeping(names.licensing!), 20_000, 'the slow migration to start');
    const started = Date.now();
    const busy = await runInProcess(['up', '--database', 'licensing', '--no-wait'], { FBS_TEST_DATABASES: env });
    expect(Date.now() - started).to.be.below(2000);
    expect(busy.code).to.equal(1);
    expect(busy.stderr).to.match(/Database 'licensing' \(postgres:\/\/postgres@127\.0\.0\.1:5432\/fbs_cli_\d+_\d+\) is being migrated by another process \(server pid \d+/);
    expect(busy.stderr).to.contain('run again without --no-wait');
    const waiting = await runInProcess(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env });
    expect(waiting.code).to.equal(0);
    expect(waiting.stderr).to.contain("waiting: another migrator holds the lock of 'licensing'");
    expect(waiting.stdout).to.contain('nothing to do');
    expect((await slow.result).code).to.equal(0);
    expect(await history(names.licensing!)).to.have.length(3);
  });

  it('a migrator killed (SIGKILL) in the middle of a slow migration leaves a database the next run completes', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const victim = startBin(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env, FBS_TEST_SLOW_MS: '60000' });
    await waitFor(() => sleeping(names.licensing!), 20_000, 'the slow migration to start');
    victim.kill('SIGKILL');
    await victim.result;
    // The killed run committed 0001 only; 0002's table and history row died with its transaction.
    expect(await history(names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial']);
    const started = Date.now();
    const rerun = await runInProcess(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env });
    expect(rerun.code, rerun.stderr).to.equal(0);
    // client_connection_check_interval ends the orphaned statement within about a second, not after 60 s.
    expect(Date.now() - started).to.be.below(15_000);
    expect(await history(names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_slow', 'fbs_license_manager/0003_after']);
    expect(await runs(names.licensing!)).to.deep.equal([
      { name: 'fbs_license_manager/0001_initial', n: '1' },
      { name: 'fbs_license_manager/0002_slow', n: '1' },
      { name: 'fbs_license_manager/0003_after', n: '1' },
    ]);
    expect(await sleeping(names.licensing!)).to.equal(false);
  });
});
