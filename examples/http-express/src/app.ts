import express, { type ErrorRequestHandler, type Express } from 'express';
import { fromPathParam } from '@fbs/http';
import { solutionMiddleware } from '@fbs/http/express';
import { placeOrder, Product, SolutionSetting, type FbsPlatform } from '../../fbs/src';

/**
 * The FBS platform over HTTP. `/health` is a system route (no solution); everything under
 * `/api/:solution` runs in that solution, or is refused with a JSON error before any handler runs
 * (unknown, dropped, malformed, …). Handlers never name the solution: the routed models follow it.
 */
export function createApp(fbs: FbsPlatform): Express {
  const { project } = fbs;
  const app = express();
  app.use(express.json());

  app.get('/health', (_req, res) => void res.json({ ok: true }));

  const api = express.Router();
  api.get('/products', async (_req, res) => {
    const products = await project.model(Product).findAll({ order: [['sku', 'ASC']] });
    res.json(products.map((p) => ({ sku: p.sku, name: p.name, price: p.price })));
  });
  api.put('/settings/:key', async (req, res) => {
    const [setting] = await project.model(SolutionSetting).upsert({ key: req.params.key, value: req.body.value });
    res.json({ key: setting.key, value: setting.value });
  });
  api.post('/orders', async (req, res) => {
    const result = await placeOrder(fbs, res.locals.solution as string, req.body);
    res.status(result.replayed ? 200 : 201).json({ number: result.order.number, total: result.order.total, currency: result.currency });
  });
  app.use('/api/:solution', solutionMiddleware({ manager: fbs.solutions, resolve: fromPathParam('solution') }), api);

  const errors: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(typeof error.status === 'number' ? error.status : 500).json({ error: { code: error.code ?? 'internal', message: error.message } });
  };
  app.use(errors);
  return app;
}
