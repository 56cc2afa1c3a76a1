import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { captureContext, causalityHeaders, type ContextResume } from './causality';
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

/** The request's async context (routing scope, read-your-writes context), entered again after body parsing. */
const RESUME = Symbol('fbs.resume');
type Resumable = FastifyRequest & { [RESUME]?: ContextResume };

/** The Fastify plugin, with the gate it uses. */
export type FastifySolutionsPlugin = ((app: FastifyInstance, options: unknown, done: (error?: Error) => void) => void) & { readonly gate: SolutionGate };

function requestInfo(request: FastifyRequest): RequestInfo {
  return { headers: request.headers, url: request.url, params: request.params as Record<string, unknown>, raw: request };
}

/**
 * Fastify plugin (an `onRequest` hook, applied to the whole instance it is registered on): resolves
 * the solution of each request, refuses it with a JSON error when it is missing, malformed,
 * unknown, dropped or suspended, and otherwise runs the rest of the request in its own
 * read-your-writes context (`project.withContext`, adopting an `x-fbs-causality` token) inside
 * `manager.withSolution` (entered in `onRequest`, the same context entered again in `preHandler`
 * and `onSend` so the handler is in scope after body parsing). Routes with
 * `config: { fbsSystem: true }` run without a solution (in a context of their own too). With
 * `causality: { send: true }` a response of a request that wrote carries its token.
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
  const send = gate.causality?.send === true ? gate.causality.header : undefined;
  const plugin = (app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void => {
    app.decorateRequest('solution', undefined);
    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, next: HookHandlerDoneFunction) => {
      const info = requestInfo(request);
      gate.admit(info, request.routeOptions?.config?.fbsSystem === true).then(async (admission) => {
        if (admission.kind === 'solution') request.solution = admission.solution;
        const outcome = await gate.run(admission, () => {
          (request as Resumable)[RESUME] = captureContext();
          return next();
        }, info);
        if (!outcome.ran) reply.code(outcome.response.status).type('application/json').send(outcome.response.body);
      }).catch((error: Error) => next(error));
    });
    app.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, next: HookHandlerDoneFunction) => {
      const resume = (request as Resumable)[RESUME];
      if (resume === undefined) next();
      else resume(() => next());
    });
    if (send !== undefined) {
      app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, next: (error?: Error | null, value?: unknown) => void) => {
        const resume = (request as Resumable)[RESUME];
        if (resume !== undefined && !reply.sent) reply.headers(resume(() => causalityHeaders(project, send)));
        next(null, payload);
      });
    }
    done();
  };
  // What fastify-plugin does: the hooks apply to the instance the plugin is registered on, not a child.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: '@fbs/http/fastify' });
  return Object.assign(plugin, { gate });
}
