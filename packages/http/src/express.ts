import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequestInfo } from './request-info';
import { SolutionGate, type SolutionGateOptions } from './solution-gate';


/** The Express middleware, with the gate it uses (its cache: `middleware.gate.cache.invalidate(name)`). */
export type SolutionMiddleware = RequestHandler & { readonly gate: SolutionGate };

function requestInfo(req: Request): RequestInfo {
  return { headers: req.headers, url: req.originalUrl ?? req.url, params: req.params, raw: req };
}

/**
 * Express middleware: resolves the solution of each request, refuses it with a JSON error when it
 * is missing, malformed, unknown, dropped or suspended, and otherwise runs the rest of the request
 * (later middleware, the route handler, what it streams and the work it starts) inside
 * `manager.withSolution`. The admitted name is in `res.locals.solution`.
 *
 * @example
 * ```ts
 * const app = express();
 * app.get('/health', (req, res) => res.send('ok'));                 // before the middleware: system route
 * app.use(solutionMiddleware({ manager, resolve: fromHeader('x-solution') }));
 * app.post('/prefs', async (req, res) => res.json(await project.model(Preference).create(req.body)));
 * ```
 */
export function solutionMiddleware(options: SolutionGateOptions): SolutionMiddleware {
  const gate = new SolutionGate(options);
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const info = requestInfo(req);
    gate.admit(info).then(async (admission) => {
      if (admission.kind === 'solution') res.locals.solution = admission.solution;
      const outcome = await gate.run(admission, () => next(), info);
      if (!outcome.ran) res.status(outcome.response.status).json(outcome.response.body);
    }).catch(next);
  };
  return Object.assign(middleware, { gate });
}
