import { expect } from 'chai';
import { Product } from '../src';
import type { FbsPlatform } from '../src/platform';
import { fbsTestPlatform, type FbsTestPlatform } from './support';

/** A JSON request to the example servers. */
export async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: init.body ? { 'content-type': 'application/json' } : {} });
  return { status: response.status, body: await response.json() };
}

/** Creates solution `solution` with the basic license and one product `sku` (10.00). */
export async function seedSolution(fbs: FbsTestPlatform, solution: string, sku: string): Promise<void> {
  await fbs.createSolution(solution);
  await fbs.platform.licenses.grant(solution, 'basic');
  await fbs.project.withSolution(solution, () => fbs.project.model(Product).create({ sku, name: `Product ${sku}`, price: '10.00' }));
}

/** A started example server: its base URL and how to stop it. */
export interface StartedServer {
  readonly base: string;
  close(): Promise<void>;
}

/**
 * The scenario every HTTP example proves, under `/api/:solution`: an admitted order lands in its
 * solution's database (checked over a direct connection) and nowhere in the system database; an
 * unknown solution is refused before any handler with a JSON error naming it.
 */
export function describeFbsOverHttp(title: string, prefix: string, numberPrefix: string, start: (platform: FbsPlatform) => Promise<StartedServer>): void {
  describe(title, function () {
    this.timeout(180_000);
    let fbs: FbsTestPlatform;
    let server: StartedServer | undefined;
    let acme: string;

    before(async () => {
      fbs = await fbsTestPlatform(prefix);
      acme = fbs.solution('acme');
      await seedSolution(fbs, acme, 'A');
      server = await start(fbs.platform);
    });
    after(async () => {
      await server?.close();
      await fbs?.close();
    });

    it("an order posted under /api/:solution lands in that solution's database (checked over a direct connection)", async () => {
      const base = server!.base;
      expect(await call(`${base}/health`)).to.deep.equal({ status: 200, body: { ok: true } });
      expect(await call(`${base}/api/${acme}/settings/currency`, { method: 'PUT', body: JSON.stringify({ value: 'EUR' }) })).to.deep.equal({ status: 200, body: { key: 'currency', value: 'EUR' } });
      const order = await call(`${base}/api/${acme}/orders`, { method: 'POST', body: JSON.stringify({ number: `${numberPrefix}-1`, customer: 'Ada', lines: [{ sku: 'A', quantity: 2 }] }) });
      expect(order).to.deep.equal({ status: 201, body: { number: `${numberPrefix}-1`, total: '20.00', currency: 'EUR' } });
      expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal([`${numberPrefix}-1`]);
      expect(await fbs.hasTable(fbs.system, 'solution_erp_order')).to.equal(false);
    });

    it('refuses an unknown solution before any handler, with a JSON error naming it', async () => {
      const unknown = `nobody_${process.pid}`;
      const response = await call(`${server!.base}/api/${unknown}/orders`, { method: 'POST', body: JSON.stringify({ number: `${numberPrefix}-2`, customer: 'Bob', lines: [{ sku: 'A', quantity: 1 }] }) });
      expect(response.status).to.equal(404);
      expect(response.body.error).to.include({ code: 'solution_unknown', solution: unknown });
      expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal([`${numberPrefix}-1`]);
    });
  });
}
