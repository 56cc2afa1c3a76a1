import { expect } from 'chai';
import { testServer } from '../harness/postgres';
import { ensureBuilt, fixtureDatabases, startBin } from './cli-harness';
import { history } from './helpers';

describe('fbs-migrate CLI (the built binary)', function () {
  this.timeout(60_000);
  before(function () {
    this.timeout(180_000);
    ensureBuilt();
  });

  it('exit codes 0, 1 and 2, and --json on stdout', async () => {
    const { names, env } = await fixtureDatabases(['default', 'licensing']);
    const ok = await startBin(['up', '--database', 'licensing', '--json'], { FBS_TEST_DATABASES: env }).result;
    expect(ok.code, ok.stderr).to.equal(0);
    expect(JSON.parse(ok.stdout).databases[0].applied).to.have.length(3);
    const failed = await startBin(['up', '--database', 'default', '--json'], { FBS_TEST_DATABASES: env, FBS_TEST_FAIL: 'fbs_app/0002_fail_when_asked' }).result;
    expect(failed.code).to.equal(1);
    expect(JSON.parse(failed.stdout).databases[0].error.message).to.contain("Migration 'fbs_app/0002_fail_when_asked' (up) failed on database 'default'");
    expect(failed.stderr).to.contain('asked to fail');
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial']);
    const usage = await startBin(['up', '--database', 'nope'], { FBS_TEST_DATABASES: env }).result;
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain("Unknown database alias 'nope'");
    const help = await startBin(['--help'], {}).result;
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('Usage: fbs-migrate [options] [command]');
  });

  it("reads the seed's environment variables (DB_* and LIC_DB_*) through the config's databasesFromEnv", async () => {
    const server = await testServer();
    const { names } = await fixtureDatabases(['default', 'licensing']);
    const seedEnv = {
      DB_NAME: names.default!, DB_HOST: server.host, DB_PORT: String(server.port), DB_USER: server.user, DB_PASSWORD: server.password ?? '',
      LIC_DB_NAME: names.licensing!, LIC_DB_HOST: server.host, LIC_DB_PORT: String(server.port), LIC_DB_USER: server.user, LIC_DB_PASSWORD: server.password ?? '',
    };
    const lic = await startBin(['up', '--database', 'licensing'], seedEnv).result;
    expect(lic.code, lic.stderr).to.equal(0);
    const def = await startBin(['up', '--database', 'default'], seedEnv).result;
    expect(def.code, def.stderr).to.equal(0);
    expect(await history(names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_slow', 'fbs_license_manager/0003_after']);
    expect(await history(names.default!)).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked']);
  });
});
