import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Product } from '../../fbs/src';
import { fbsTestPlatform, type FbsTestPlatform } from '../../fbs/test/support';
import { createApp } from '../src/app';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: init.body ? { 'content-type': 'application/json' } : {} });
  return { status: response.status, body: await response.json() };
}

// examples/http-nest: the FBS platform behind @fbs/http/nest (docs/integrations.md).
describe('examples/http-nest: FBS over HTTP with NestJS, one solution per request', function () {
  this.timeout(180_000);
  let fbs: FbsTestPlatform;
  let app: INestApplication;
  let base: string;
  let acme: string;

  before(async () => {
    fbs = await fbsTestPlatform('fbsnst');
    acme = fbs.solution('acme');
    await fbs.createSolution(acme);
    await fbs.platform.licenses.grant(acme, 'basic');
    await fbs.project.withSolution(acme, () => fbs.project.model(Product).create({ sku: 'A', name: 'Product A', price: '10.00' }));
    app = await createApp(fbs.platform);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  after(async () => {
    await app?.close();
    await fbs?.close();
  });

  it('an order posted under /api/:solution lands in that solution\'s database (checked over a direct connection)', async () => {
    expect(await call(`${base}/health`)).to.deep.equal({ status: 200, body: { ok: true } });
    expect(await call(`${base}/api/${acme}/settings/currency`, { method: 'PUT', body: JSON.stringify({ value: 'EUR' }) })).to.deep.equal({ status: 200, body: { key: 'currency', value: 'EUR' } });
    const order = await call(`${base}/api/${acme}/orders`, { method: 'POST', body: JSON.stringify({ number: 'NST-1', customer: 'Ada', lines: [{ sku: 'A', quantity: 2 }] }) });
    expect(order).to.deep.equal({ status: 201, body: { number: 'NST-1', total: '20.00', currency: 'EUR' } });
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal(['NST-1']);
    expect(await fbs.hasTable(fbs.system, 'solution_erp_order')).to.equal(false);
  });

  it('refuses an unknown solution before any handler, with a JSON error naming it', async () => {
    const unknown = `nobody_${process.pid}`;
    const response = await call(`${base}/api/${unknown}/orders`, { method: 'POST', body: JSON.stringify({ number: 'NST-2', customer: 'Bob', lines: [{ sku: 'A', quantity: 1 }] }) });
    expect(response.status).to.equal(404);
    expect(response.body.error).to.include({ code: 'solution_unknown', solution: unknown });
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal(['NST-1']);
  });
});
