import { expect } from 'chai';
import { CrossDatabaseError } from '@fbs/core';
import { fbsApps, OdooDatabase, SolutionLicense, SolutionSetting } from '../src';
import { fbsTestPlatform, type FbsTestPlatform } from './support';

// The seed's "Best Practices", each showing what the SDK does.
describe('examples/fbs: best practices', () => {
  let fbs: FbsTestPlatform;
  let acme: string;
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbsbest');
    acme = fbs.solution('acme_corp');
    await fbs.createSolution(acme);
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  it('1. always use app labels: every model belongs to an app, which decides its database and its table name', () => {
    const expected: Record<string, string> = {
      fbs_app: 'default', fbs_license_manager: 'licensing', solution_app: `djo_${acme}_db`, solution_erp: `fbs_${acme}_db`,
    };
    expect(fbsApps.map((app) => app.label)).to.deep.equal(Object.keys(expected));
    for (const meta of fbs.project.apps.models()) {
      const routed = fbs.project.withSolution(acme, () => fbs.project.model(meta.model).dbForWrite());
      expect(routed, meta.label).to.equal(expected[meta.appLabel]);
      expect(fbs.project.repository(routed, meta.model).getTableName(), meta.label).to.match(new RegExp(`^${meta.appLabel}_`));
    }
  });

  it("2. use database hints for solution data: using('djo_…_db') and withSolution write to the same place", async () => {
    await fbs.project.model(SolutionSetting).using(`djo_${acme}_db`).create({ key: 'currency', value: 'EUR' });
    await fbs.project.withSolution(acme, () => fbs.project.model(SolutionSetting).create({ key: 'locale', value: 'en_GB' }));
    const rows = await fbs.rows(`djo_${acme}_db`, 'solution_app_solution_setting');
    expect(rows.map((r) => r.key)).to.deep.equal(['currency', 'locale']);
  });

  it('3. avoid cross-database queries: an include across databases is refused; query each database instead', async () => {
    await fbs.project.model(SolutionLicense).create({ solutionName: acme, tier: 'basic', status: 'active' });
    await fbs.project.model(OdooDatabase).create({ name: `fbs_${acme}_db`, solutionName: acme });
    const crossJoin = () =>
      fbs.project.model(OdooDatabase).findAll({ include: [{ model: fbs.project.repository('licensing', SolutionLicense) }] });
    let error: unknown;
    try {
      await crossJoin();
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CrossDatabaseError);
    expect((error as Error).message).to.contain("'default'").and.to.contain("'licensing'");

    const active = await fbs.project.model(SolutionLicense).findAll({ where: { status: 'active' } });
    const odooDbs = await fbs.project.model(OdooDatabase).findAll({ where: { solutionName: active.map((l) => l.solutionName) } });
    expect(odooDbs.map((d) => d.name)).to.deep.equal([`fbs_${acme}_db`]);
  });

  it('4. use transactions appropriately: one transaction per database; a rollback on licensing leaves default untouched', async () => {
    const failure = new Error('payment provider down');
    let error: unknown;
    try {
      await fbs.project.transaction(SolutionLicense, async () => {
        const license = (await fbs.project.model(SolutionLicense).findOne({ where: { solutionName: acme } }))!;
        await license.update({ tier: 'enterprise' }); // joins the licensing transaction
        await fbs.project.model(OdooDatabase).create({ name: 'audit_only_db' }); // default: its own autocommit
        throw failure;
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.equal(failure);
    const licenses = await fbs.rows(fbs.licensing, 'fbs_license_manager_solution_license');
    expect(licenses.map((l) => l.tier)).to.deep.equal(['basic']);
    const odooDbs = await fbs.rows(fbs.system, 'fbs_app_odoo_database');
    expect(odooDbs.map((d) => d.name)).to.include('audit_only_db');
  });
});
