import Fastify, { type FastifyInstance } from 'fastify';
import { fromPathParam } from '@fbs/http';
import { fastifySolutions } from '@fbs/http/fastify';
import { placeOrder, Product, SolutionSetting, type FbsPlatform } from '../../fbs/src';

/**
 * The FBS platform over HTTP with Fastify. `/health` is a system route (`config: { fbsSystem: true }`,
 * no solution); every route under `/api/:solution` runs in that solution, or is refused with a JSON
 * error before any handler runs (unknown, dropped, malformed, …). Handlers never name the solution:
 * the routed models follow it (`request.solution` names it when a handler needs it).
 */
export function createApp(fbs: FbsPlatform): FastifyInstance {
  const { project } = fbs;
  const app = Fastify();
  app.register(fastifySolutions({ manager: fbs.solutions, resolve: fromPathParam('solution') }));

  app.get('/health', { config: { fbsSystem: true } }, async () => ({ ok: true }));

  app.get('/api/:solution/products', async () => {
    const products = await project.model(Product).findAll({ order: [['sku', 'ASC']] });
    return products.map((p) => ({ sku: p.sku, name: p.name, price: p.price }));
  });
  app.put<{ Params: { key: string }; Body: { value: string } }>('/api/:solution/settings/:key', async (request) => {
    const [setting] = await project.model(SolutionSetting).upsert({ key: request.params.key, value: request.body.value });
    return { key: setting.key, value: setting.value };
  });
  app.post<{ Body: Parameters<typeof placeOrder>[2] }>('/api/:solution/orders', async (request, reply) => {
    const result = await placeOrder(fbs, request.solution!, request.body);
    return reply.code(result.replayed ? 200 : 201).send({ number: result.order.number, total: result.order.total, currency: result.currency });
  });

  app.setErrorHandler((error: Error & { status?: number; statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode ?? (typeof error.status === 'number' ? error.status : 500);
    return reply.code(status).send({ error: { code: error.code ?? 'internal', message: error.message } });
  });
  return app;
}
