import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import { call, seedSolution } from '../../fbs/test/http-scenario';
import { fbsTestPlatform, type FbsTestPlatform } from '../../fbs/test/support';
import { createApp } from '../src/app';

// examples/http-express: the FBS platform behind @fbs/http/express (docs/integrations.md).
describe('examples/http-express: FBS over HTTP, one solution per request', function () {
  this.timeout(180_000);
  let fbs: FbsTestPlatform;
  let server: Server;
  let base: string;
  let acme: string;
  let tech: string;

  before(async () => {
    fbs = await fbsTestPlatform('fbshttp');
    acme = fbs.solution('acme');
    tech = fbs.solution('tech');
    for (const [solution, sku] of [[acme, 'A'], [tech, 'T']] as const) await seedSolution(fbs, solution, sku);
    server = createApp(fbs.platform).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    server?.close();
    await fbs?.close();
  });

  it('serves each solution its own data, from the path', async () => {
    expect(await call(`${base}/api/${acme}/products`)).to.deep.equal({ status: 200, body: [{ sku: 'A', name: 'Product A', price: '10.00' }] });
    expect(await call(`${base}/api/${tech}/products`)).to.deep.equal({ status: 200, body: [{ sku: 'T', name: 'Product T', price: '10.00' }] });
    expect(await call(`${base}/health`)).to.deep.equal({ status: 200, body: { ok: true } });
  });

  it('writes land in the solution databases (checked over direct connections)', async () => {
    expect((await call(`${base}/api/${acme}/settings/currency`, { method: 'PUT', body: JSON.stringify({ value: 'EUR' }) })).status).to.equal(200);
    const order = await call(`${base}/api/${acme}/orders`, { method: 'POST', body: JSON.stringify({ number: 'WEB-1', customer: 'Ada', lines: [{ sku: 'A', quantity: 3 }] }) });
    expect(order).to.deep.equal({ status: 201, body: { number: 'WEB-1', total: '30.00', currency: 'EUR' } });
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal(['WEB-1']);
    expect(await fbs.rows(`fbs_${tech}_db`, 'solution_erp_order')).to.deep.equal([]);
  });

  it('refuses an unknown or malformed solution before any handler, with a JSON error', async () => {
    const unknown = await call(`${base}/api/nobody_${process.pid}/products`);
    expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'solution_unknown']);
    const bad = await call(`${base}/api/Not-A-Name/products`);
    expect([bad.status, bad.body.error.code]).to.deep.equal([400, 'solution_invalid']);
  });
});
