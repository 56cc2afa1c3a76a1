import path from 'node:path';
import { expect } from 'chai';
import { runInProcess } from '../../../test/migrate/cli-harness';

describe('fbs-migrate routes on the FBS project', () => {
  it('lists every model; solution models that need a solution say so instead of failing', async function () {
    this.timeout(60_000);
    const result = await runInProcess(['routes', '--json'], {}, { cwd: path.resolve(__dirname, '..') });
    expect(result.code, result.stderr).to.equal(0);
    const routes = JSON.parse(result.stdout) as { model: string; read: string; write: string }[];
    const byModel = Object.fromEntries(routes.map((r) => [r.model, r]));
    expect(byModel['fbs_app.OdooDatabase']).to.include({ read: 'default', write: 'default' });
    expect(byModel['fbs_license_manager.SolutionLicense']).to.include({ read: 'licensing', write: 'licensing' });
    expect(byModel['solution_erp.Customer']).to.include({ read: '(needs a solution)', write: '(needs a solution)' });
  });
});
