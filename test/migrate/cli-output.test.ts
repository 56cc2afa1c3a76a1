import { expect } from 'chai';
import { fixtureDatabases, runInProcess } from './cli-harness';

describe('fbs-migrate output: one line per migration outside a TTY, a bar on a TTY', () => {
  let env: { FBS_TEST_DATABASES: string };
  beforeEach(async () => {
    env = { FBS_TEST_DATABASES: (await fixtureDatabases(['default', 'licensing'])).env };
  });

  it('outside a TTY: `alias  app/name  OK 12 ms` as each migration finishes, aliases padded to one width, before the report', async () => {
    const up = await runInProcess(['up', '--database', 'default', '--database', 'licensing', '--concurrency', '1'], { ...env, FBS_TEST_SLOW_MS: '300' });
    expect(up.code, up.stderr).to.equal(0);
    const lines = up.stdout.split('\n').filter((l) => / (OK|REVERTED|FAILED) \d+ ms$/.test(l));
    expect(lines.map((l) => l.replace(/\d+ ms$/, 'N ms'))).to.deep.equal([
      'default    fbs_app/0001_initial  OK N ms',
      'default    fbs_app/0002_fail_when_asked  OK N ms',
      'licensing  fbs_license_manager/0001_initial  OK N ms',
      'licensing  fbs_license_manager/0002_slow  OK N ms',
      'licensing  fbs_license_manager/0003_after  OK N ms',
    ]);
    expect(up.stdout.indexOf('fbs_license_manager/0003_after  OK')).to.be.lessThan(up.stdout.indexOf('Database'));
    const slow = Number(/0002_slow {2}OK (\d+) ms/.exec(up.stdout)![1]);
    expect(slow, 'the slow migration sleeps 300 ms: the figure is its duration').to.be.at.least(300).and.below(10_000);
    const down = await runInProcess(['down', '--database', 'licensing'], env);
    expect(down.stdout).to.match(/^licensing {2}fbs_license_manager\/0003_after {2}REVERTED \d+ ms$/m);
  });

  it('a failing migration gets a FAILED line; --json prints none of these lines', async () => {
    const failed = await runInProcess(['up', '--database', 'default'], { ...env, FBS_TEST_FAIL: 'fbs_app/0002_fail_when_asked' });
    expect(failed.code).to.equal(1);
    expect(failed.stdout).to.match(/^default {2}fbs_app\/0001_initial {2}OK \d+ ms$/m).and.match(/^default {2}fbs_app\/0002_fail_when_asked {2}FAILED \d+ ms$/m);
    const json = await runInProcess(['up', '--database', 'default', '--json'], env);
    expect(json.code).to.equal(0);
    expect(JSON.parse(json.stdout).databases[0].applied).to.deep.equal(['fbs_app/0002_fail_when_asked']);
  });

  it('on a TTY: no lines, a progress bar over the migrations also for one database', async () => {
    const tty = await runInProcess(['up', '--database', 'licensing'], env, { tty: true });
    expect(tty.code, tty.stderr).to.equal(0);
    expect(tty.stdout).not.to.match(/ OK \d+ ms/);
    expect(tty.stderr).to.contain('migrating licensing [').and.contain('/3 migrations');
  });
});
