import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { RequestInfo } from './request-info';
import { SolutionGate, type SolutionGateOptions } from './solution-gate';

declare module 'fastify' {
  interface FastifyRequest {
    /** The solution the request runs in (set by `fastifySolutions`; undefined on system routes). */
    solution?: string;
  }
  interface FastifyContextConfig {
    /** `true`: a system-only route, served without a solution (`fastifySolutions`). */
    fbsSystem?: boolean;
  }
}

/** The Fastify plugin, with the gate it uses. */
export type FastifySolutionsPlugin = ((app: FastifyInstance, options: unknown, done: (error?: Error) => void) => void) & { readonly gate: SolutionGate };

function requestInfo(request: FastifyRequest): RequestInfo {
  return { headers: request.headers, url: request.url, params: request.params as Record<string, unknown>, raw: request };
}

/**
 * Fastify plugin (an `onRequest` hook, applied to the whole instance it is registered on): resolves
 * the solution of each request, refuses it with a JSON error when it is missing, malformed,
 * unknown, dropped or suspended, and otherwise runs the rest of the request inside
 * `manager.withSolution` (entered in `onRequest`, entered again in `preHandler` so the handler is
 * in scope after body parsing). Routes with `config: { fbsSystem: true }` run without a solution.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * app.register(fastifySolutions({ manager, resolve: fromPathParam('solution') }));
 * app.get('/health', { config: { fbsSystem: true } }, async () => 'ok');
 * app.post('/t/:solution/prefs', async (request) => project.model(Preference).create(request.body as object));
 * ```
 */
export function fastifySolutions(options: SolutionGateOptions): FastifySolutionsPlugin {
  const gate = new SolutionGate(options);
  const { project } = gate.manager;
  const plugin = (app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void => {
    app.decorateRequest('solution', undefined);
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction) => {
      const info = requestInfo(request);
      gate.admit(info, request.routeOptions?.config?.fbsSystem === true).then(async (admission) => {
        if (admission.kind === 'solution') request.solution = admission.solution;
        const outcome = await gate.run(admission, () => next(), info);
        if (!outcome.ran) reply.code(outcome.response.status).type('application/json').send(outcome.response.body);
      }).catch((error: Error) => next(error));
    });
    app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, next: HookHandlerDoneFunction) => {
      if (request.solution === undefined) next();
      else project.withSolution(request.solution, () => next());
    });
    done();
  };
  // What fastify-plugin does: the hooks apply to the instance the plugin is registered on, not a child.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: '@fbs/http/fastify' });
  return Object.assign(plugin, { gate });
}
