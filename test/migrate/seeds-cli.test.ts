import path from 'node:path';
import { expect } from 'chai';
import { runInProcess } from './cli-harness';
import { names, SECRET, seedDatabases, seedHistory } from './seeds-helpers';

const CWD = path.join(__dirname, 'fixtures/seeds-cli');

describe('fbs-migrate seed (in process)', function () {
  this.timeout(120_000); // creating databases is slow on a busy server
  let db: Record<string, string>;
  let env: Record<string, string>;
  const cli = (argv: string[], extra: Record<string, string> = {}, tty = false) => runInProcess(argv, { ...env, ...extra }, { cwd: CWD, tty });

  beforeEach(async () => {
    const created = await seedDatabases(['default', 'licensing', 'reports']);
    db = created.names;
    env = { FBS_TEST_DATABASES: JSON.stringify(created.urls) };
    const up = await cli(['up', '--all']);
    expect(up.code, up.stderr).to.equal(0);
  });

  it('needs a selection (exit 2), then seeds the routed databases once; a second run skips; --always reruns', async () => {
    const none = await cli(['seed']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('Say which databases to seed');
    const first = await cli(['seed', '--all']);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/licensing\s*│\s*ok\s*│\s*fbs_license_manager\/0001_tiers/);
    expect(first.stdout).to.contain('3 of 3 database(s) ok.');
    // Outside a TTY, one line per seed as it finishes.
    expect(first.stderr).to.match(/^licensing {2}fbs_license_manager\/0001_tiers {2}OK \d+ ms$/m);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await names(db.default!, 'fbs_setting')).to.deep.equal(['theme']);
    expect(await seedHistory(db.reports!)).to.equal(undefined);
    const second = await cli(['seed', '--all', '--json']);
    const report = JSON.parse(second.stdout);
    expect(report.databases.map((d: any) => [d.alias, d.ran, d.skipped])).to.deep.equal([
      ['default', [], ['fbs_app/0001_settings']],
      ['licensing', [], ['fbs_license_manager/0001_tiers']],
      ['reports', [], []],
    ]);
    const always = await cli(['seed', 'fbs_license_manager', '--database', 'licensing', '--always']);
    expect(always.code).to.equal(0);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic', 'basic']);
    expect(await names(db.default!, 'fbs_setting')).to.deep.equal(['theme']);
  });

  it('--plan shows what would run and runs nothing', async () => {
    const plan = await cli(['seed', '--plan', '--database', 'licensing', '--database', 'default']);
    expect(plan.code).to.equal(0);
    expect(plan.stdout).to.match(/licensing\s*│\s*fbs_license_manager\/0001_tiers/);
    expect(await seedHistory(db.licensing!)).to.equal(undefined);
  });

  it('a failing seed: exit 1, rolled back with its record, the error names the database and seed, never the password', async () => {
    const run = await cli(['seed', '--database', 'licensing', '--json'], { FBS_TEST_BROKEN_SEED: '1' });
    expect(run.code).to.equal(1);
    const [licensing] = JSON.parse(run.stdout).databases;
    expect(licensing).to.deep.include({ outcome: 'failed', ran: ['fbs_license_manager/0001_tiers'], pending: ['fbs_license_manager/0002_broken'] });
    expect(licensing.error.code).to.equal('FBS_SEED_FAILED');
    expect(run.stderr).to.contain("Seed 'fbs_license_manager/0002_broken' failed on database 'licensing'").and.contain('tier list inconsistent');
    expect(run.stdout + run.stderr).not.to.contain(SECRET);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 1 });
  });

  it('an unknown app label: exit 2 with the closest label; an app without seeds: exit 2 naming those with seeds', async () => {
    const typo = await cli(['seed', 'fbs_licence_manager', '--all']);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.contain("did you mean 'fbs_license_manager'?");
    const empty = await cli(['seed', 'reports', '--all']);
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.contain("App 'reports' has no seeds").and.contain('Apps with seeds: fbs_app, fbs_license_manager.');
  });
});
