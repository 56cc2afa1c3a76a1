import { expect } from 'chai';
import { Migrator, Seeder } from '@fbs/migrate';
import { FBSDatabaseRouter } from '../src';
import { fbsTestPlatform, type FbsTestPlatform } from './support';

describe('examples/fbs: migrations stay on their databases', () => {
  let fbs: FbsTestPlatform;
  let acme: string;
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbsmig');
    acme = fbs.solution('acme_corp');
    await fbs.createSolution(acme);
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  it('allowMigrate: the seed for the system apps, and solution apps only on solution databases', () => {
    const router = new FBSDatabaseRouter();
    const dbs = ['default', 'licensing', 'djo_acme_corp_db', 'fbs_acme_corp_db', 'fbs_system_db', 'reporting'];
    const matrix = Object.fromEntries(
      ['fbs_app', 'fbs_license_manager', 'solution_app', 'solution_erp', 'third_party'].map((app) => [app, dbs.map((db) => router.allowMigrate(db, app))]),
    );
    expect(matrix).to.deep.equal({
      fbs_app: [true, false, false, false, false, false],
      fbs_license_manager: [false, true, false, false, false, false],
      solution_app: [false, false, true, false, false, false],
      solution_erp: [false, false, false, true, false, false],
      third_party: [null, null, null, null, null, null], // no opinion: the SDK's default (true) applies, as in Django
    });
  });

  it('each database records only its own apps in its history table', async () => {
    const history = async (db: string) => (await fbs.rows(db, 'fbs_migrations').catch(() => [])).map((r) => r.name);
    expect(await history(fbs.system)).to.deep.equal(['fbs_app/0001_initial']);
    expect(await history(fbs.licensing)).to.deep.equal(['fbs_license_manager/0001_initial']);
    expect(await history(`djo_${acme}_db`)).to.deep.equal(['solution_app/0001_initial']);
    expect(await history(`fbs_${acme}_db`)).to.deep.equal(['solution_erp/0001_initial']);
  });

  it('seeds go where the router says, once: business rules in fbs_system_db, default settings in each solution\'s djo database', async () => {
    const system = await new Seeder(fbs.project).run({ databases: ['default', 'licensing'] });
    expect(system.databases.map((d) => [d.alias, d.ran])).to.deep.equal([['default', ['fbs_app/0001_business_rules']], ['licensing', []]]);
    expect((await fbs.rows(fbs.system, 'fbs_app_business_rule')).map((r) => r.name)).to.deep.equal(['suspend_on_unpaid_invoice', 'notify_on_limit_80']);
    expect(await fbs.hasTable(fbs.licensing, 'fbs_seeds')).to.equal(false);
    const solutions = await fbs.solutions.seedEach({ solutions: [acme] });
    expect(solutions.solutions[0]!.result!.databases.map((d) => [d.alias, d.ran])).to.deep.equal([[`djo_${acme}_db`, ['solution_app/0001_default_settings']], [`fbs_${acme}_db`, []]]);
    expect((await fbs.rows(`djo_${acme}_db`, 'solution_app_solution_setting')).map((r) => [r.key, r.value])).to.deep.equal([['timezone', 'Europe/Paris']]);
    expect(await fbs.hasTable(`fbs_${acme}_db`, 'fbs_seeds')).to.equal(false);
    const again = await fbs.solutions.seedEach({ solutions: [acme] });
    expect(again.solutions[0]!.result!.databases[0]!.skipped).to.deep.equal(['solution_app/0001_default_settings']);
  });

  it('the plan of each database is up to date, and names what is not routed there', async () => {
    const plans = await new Migrator(fbs.project).plan({ databases: ['default', 'licensing', `djo_${acme}_db`] });
    expect(plans.map((p) => [p.alias, p.pending, p.applied])).to.deep.equal([
      ['default', [], ['fbs_app/0001_initial']],
      ['licensing', [], ['fbs_license_manager/0001_initial']],
      [`djo_${acme}_db`, [], ['solution_app/0001_initial']],
    ]);
    expect(plans[0]!.notRouted).to.deep.equal(['fbs_license_manager/0001_initial', 'solution_app/0001_initial', 'solution_erp/0001_initial']);
  });

  it("project.check() is clean for the FBS platform, with the solutions' databases as places solution apps migrate", () => {
    const databases = fbs.solutions.exampleDatabases();
    expect(databases).to.deep.equal(['djo_example_db', 'fbs_example_db']);
    expect(fbs.project.check({ databases })).to.deep.equal([]);
    expect(fbs.project.check(), "acme_corp's databases are registered aliases by now").to.deep.equal([]);
  });
});
