import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { captureContext, causalityHeaders } from './causality';
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
 * (later middleware, the route handler, what it streams and the work it starts) in its own
 * read-your-writes context (`project.withContext`, adopting an `x-fbs-causality` token) inside
 * `manager.withSolution`. The admitted name is in `res.locals.solution`; with
 * `causality: { send: true }` a response of a request that wrote carries its token.
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
  const { project } = gate.manager;
  const send = gate.causality?.send === true ? gate.causality.header : undefined;
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const info = requestInfo(req);
    gate.admit(info).then(async (admission) => {
      if (admission.kind === 'solution') res.locals.solution = admission.solution;
      const outcome = await gate.run(admission, () => {
        if (send !== undefined) sendTokenOnHeaders(res, send, captureContext(), project);
        return next();
      }, info);
      if (!outcome.ran) res.status(outcome.response.status).json(outcome.response.body);
    }).catch(next);
  };
  return Object.assign(middleware, { gate });
}

/** Sets the request context's causality token on `res` just before its headers are written. */
function sendTokenOnHeaders(res: Response, header: string, resume: ReturnType<typeof captureContext>, project: SolutionGate['manager']['project']): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent) for (const [name, value] of Object.entries(resume(() => causalityHeaders(project, header)))) this.setHeader(name, value);
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
}
