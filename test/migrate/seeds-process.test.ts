import path from 'node:path';
import { expect } from 'chai';
import { ensureBuilt, runInProcess, sleeping, startBin, waitFor } from './cli-harness';
import { names, seedDatabases, seedHistory } from './seeds-helpers';

const CWD = path.join(__dirname, 'fixtures/seeds-cli');

describe('fbs-migrate seed (real processes)', function () {
  this.timeout(180_000);
  let db: Record<string, string>;
  let env: Record<string, string>;
  before(function () {
    this.timeout(300_000); // builds the bin when the sources are newer
    ensureBuilt();
  });
  beforeEach(async () => {
    const created = await seedDatabases(['default', 'licensing']);
    db = created.names;
    env = { FBS_TEST_DATABASES: JSON.stringify(created.urls) };
    const up = await runInProcess(['up', '--all'], env, { cwd: CWD });
    expect(up.code, up.stderr).to.equal(0);
  });

  it('a seeder killed (SIGKILL) in the middle of a seed leaves neither its rows nor its record; the next run seeds it', async () => {
    const child = startBin(['seed', '--database', 'licensing'], { ...env, FBS_TEST_SLOW_SEED: '1' }, CWD);
    await waitFor(() => sleeping(db.licensing!), 60_000, 'the slow seed to start');
    // The row is written, inside the seed's uncommitted transaction.
    child.kill('SIGKILL');
    await child.result;
    await waitFor(async () => !(await sleeping(db.licensing!)), 30_000, 'the killed session to end');
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal([]);
    expect(await seedHistory(db.licensing!)).to.equal(undefined); // even the history table was in that transaction
    const next = await runInProcess(['seed', '--database', 'licensing'], env, { cwd: CWD });
    expect(next.code, next.stderr).to.equal(0);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 1 });
  });

  it('three seeder processes started together run each seed exactly once', async () => {
    const children = [1, 2, 3].map(() => startBin(['seed', '--database', 'licensing', '--json'], { ...env, FBS_TEST_SLOW_SEED: '1' }, CWD));
    const results = await Promise.all(children.map((c) => c.result));
    const reports = results.map((r) => {
      expect(r.code, r.stderr).to.equal(0);
      return JSON.parse(r.stdout).databases[0];
    });
    expect(reports.flatMap((r: any) => r.ran)).to.deep.equal(['fbs_license_manager/0001_tiers']);
    expect(reports.flatMap((r: any) => r.skipped)).to.deep.equal(['fbs_license_manager/0001_tiers', 'fbs_license_manager/0001_tiers']);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 1 });
  });
});
