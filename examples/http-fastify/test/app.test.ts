import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { Product } from '../../fbs/src';
import { fbsTestPlatform, type FbsTestPlatform } from '../../fbs/test/support';
import { createApp } from '../src/app';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, headers: init.body ? { 'content-type': 'application/json' } : {} });
  return { status: response.status, body: await response.json() };
}

// examples/http-fastify: the FBS platform behind @fbs/http/fastify (docs/integrations.md).
describe('examples/http-fastify: FBS over HTTP with Fastify, one solution per request', function () {
  this.timeout(180_000);
  let fbs: FbsTestPlatform;
  let app: FastifyInstance;
  let base: string;
  let acme: string;

  before(async () => {
    fbs = await fbsTestPlatform('fbsfst');
    acme = fbs.solution('acme');
    await fbs.createSolution(acme);
    await fbs.platform.licenses.grant(acme, 'basic');
    await fbs.project.withSolution(acme, () => fbs.project.model(Product).create({ sku: 'A', name: 'Product A', price: '10.00' }));
    app = createApp(fbs.platform);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    await fbs?.close();
  });

  it('an order posted under /api/:solution lands in that solution\'s database (checked over a direct connection)', async () => {
    expect(await call(`${base}/health`)).to.deep.equal({ status: 200, body: { ok: true } });
    expect(await call(`${base}/api/${acme}/settings/currency`, { method: 'PUT', body: JSON.stringify({ value: 'EUR' }) })).to.deep.equal({ status: 200, body: { key: 'currency', value: 'EUR' } });
    const order = await call(`${base}/api/${acme}/orders`, { method: 'POST', body: JSON.stringify({ number: 'FST-1', customer: 'Ada', lines: [{ sku: 'A', quantity: 2 }] }) });
    expect(order).to.deep.equal({ status: 201, body: { number: 'FST-1', total: '20.00', currency: 'EUR' } });
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal(['FST-1']);
    expect(await fbs.hasTable(fbs.system, 'solution_erp_order')).to.equal(false);
  });

  it('refuses an unknown solution before any handler, with a JSON error naming it', async () => {
    const unknown = `nobody_${process.pid}`;
    const response = await call(`${base}/api/${unknown}/orders`, { method: 'POST', body: JSON.stringify({ number: 'FST-2', customer: 'Bob', lines: [{ sku: 'A', quantity: 1 }] }) });
    expect(response.status).to.equal(404);
    expect(response.body.error).to.include({ code: 'solution_unknown', solution: unknown });
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).map((o) => o.number)).to.deep.equal(['FST-1']);
  });
});
