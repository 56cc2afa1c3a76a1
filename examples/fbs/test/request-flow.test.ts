import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { placeOrder, Product, SolutionSetting } from '../src';
import { fbsTestPlatform, type FbsTestPlatform } from './support';

// docs/fbs.md, "The flow of one request": each step on its own database, chosen by the router.
describe('examples/fbs: the flow of one request (placeOrder)', () => {
  let fbs: FbsTestPlatform;
  let acme: string;
  let tech: string;
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbsflow');
    acme = fbs.solution('acme_corp');
    tech = fbs.solution('tech_startup');
    for (const solution of [acme, tech]) {
      await fbs.createSolution(solution);
      await fbs.platform.licenses.grant(solution, 'basic');
      await fbs.project.withSolution(solution, async () => {
        await fbs.project.model(SolutionSetting).create({ key: 'currency', value: solution === acme ? 'EUR' : 'USD' });
        await fbs.project.model(Product).bulkCreate([{ sku: 'A', name: 'Anvil', price: '10.00' }, { sku: 'B', name: 'Bolt', price: '2.50' }]);
      });
    }
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  it('touches lic_system_db, djo_/fbs_{solution}_db and fbs_system_db, each for its own data', async () => {
    const result = await placeOrder(fbs.platform, acme, { number: 'WEB-1', customer: 'Ada', lines: [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 4 }] });
    expect(result.replayed).to.equal(false);
    expect(result.currency).to.equal('EUR');
    expect(result.steps.map((s) => s.database)).to.deep.equal([`fbs_${acme}_db`, `djo_${acme}_db`, fbs.licensing, `fbs_${acme}_db`, fbs.system]);
    const [order] = await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order');
    expect(order).to.include({ number: 'WEB-1', total: '30.00' });
    expect(await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order_line')).to.have.length(2);
    expect((await fbs.rows(fbs.licensing, 'fbs_license_manager_feature_usage')).map((u) => u.used)).to.deep.equal([1]);
    expect((await fbs.rows(fbs.system, 'fbs_app_request_log')).map((l) => l.path)).to.deep.equal([`/api/${acme}/orders`]);
  });

  it('a replayed request returns the first order and writes nothing', async () => {
    const result = await placeOrder(fbs.platform, acme, { number: 'WEB-1', customer: 'Ada', lines: [{ sku: 'A', quantity: 9 }] });
    expect(result.replayed).to.equal(true);
    expect(await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order_line')).to.have.length(2);
    expect(await fbs.rows(fbs.system, 'fbs_app_request_log')).to.have.length(1);
  });

  it('concurrent requests for two solutions never see each other', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      placeOrder(fbs.platform, i % 2 ? tech : acme, { number: `C-${i}`, customer: `Customer ${i}`, lines: [{ sku: 'B', quantity: 1 }] })));
    const numbers = async (solution: string) => (await fbs.rows(`fbs_${solution}_db`, 'solution_erp_order')).map((o) => o.number).filter((n) => n.startsWith('C-'));
    expect(await numbers(acme)).to.have.members(['C-0', 'C-2', 'C-4', 'C-6', 'C-8', 'C-10', 'C-12', 'C-14', 'C-16', 'C-18']);
    expect(await numbers(tech)).to.have.members(['C-1', 'C-3', 'C-5', 'C-7', 'C-9', 'C-11', 'C-13', 'C-15', 'C-17', 'C-19']);
  });

  it('a failing order rolls back in fbs_{solution}_db and logs nothing', async () => {
    let error: unknown;
    try {
      await placeOrder(fbs.platform, tech, { number: 'BAD-1', customer: 'Eve', lines: [{ sku: 'A', quantity: 1 }, { sku: 'NOPE', quantity: 1 }] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigurationError).with.property('message').that.contains('"NOPE"');
    const orders = await fbs.rows(`fbs_${tech}_db`, 'solution_erp_order');
    expect(orders.map((o) => o.number)).not.to.include('BAD-1');
    expect((await fbs.rows(`fbs_${tech}_db`, 'solution_erp_customer')).map((c) => c.name)).not.to.include('Eve');
    expect((await fbs.rows(fbs.system, 'fbs_app_request_log')).filter((l) => l.path === `/api/${tech}/orders`)).to.have.length(10);
  });
});
