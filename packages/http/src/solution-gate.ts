import { InvalidSolutionNameError, UnknownSolutionError, type SolutionManager } from '@fbs/solutions';
import { requestToken, resolveCausality, type CausalityConfig, type ResolvedCausality } from './causality';
import { DEFAULT_STATUSES, defaultRejectionResponse, type Rejection, type RejectionCode, type RejectionResponse } from './rejection';
import type { RequestInfo } from './request-info';
import { fromHeader, type SolutionResolver } from './resolvers';
import { SolutionCache, type SolutionCacheOptions } from './solution-cache';

/** Options of {@link SolutionGate} (and of every framework adapter). */
export interface SolutionGateOptions {
  /** The solution catalogue requests are checked against; requests run in `manager.withSolution`. */
  readonly manager: SolutionManager;
  /** Where the solution of a request comes from (default: the `x-solution` header). */
  readonly resolve?: SolutionResolver;
  /** Requests that run without a solution (health checks, sign-up): no solution is read or required. */
  readonly system?: (request: RequestInfo) => boolean;
  /** A suspended solution is refused (`solution_suspended`); checked on every request, keep it cheap. */
  readonly suspended?: (solution: string) => boolean | Promise<boolean>;
  /** Statuses per rejection code, over {@link DEFAULT_STATUSES}. */
  readonly statuses?: Partial<Record<RejectionCode, number>>;
  /** The response of a rejection (default {@link defaultRejectionResponse}). */
  readonly respond?: (rejection: Rejection, request: RequestInfo) => RejectionResponse;
  /** Catalogue cache settings. */
  readonly cache?: SolutionCacheOptions;
  /**
   * Causality tokens across requests (default: read from the `x-fbs-causality` header, not sent;
   * `false`: not read). Every admitted request runs in its own read-your-writes context either way.
   */
  readonly causality?: CausalityConfig | false;
}

/** What the gate decided for one request. */
export type Admission =
  | { readonly kind: 'solution'; readonly solution: string; readonly causality?: string }
  | { readonly kind: 'system'; readonly causality?: string }
  | { readonly kind: 'rejected'; readonly rejection: Rejection; readonly response: RejectionResponse };

/**
 * The framework-agnostic core of the integrations: reads the solution of a request, checks it
 * against the catalogue (cached), and runs the request in its own read-your-writes context
 * (`project.withContext`, adopting the request's causality token) inside `manager.withSolution`.
 * It fails closed: a missing, malformed, unknown, dropped, unfinished or suspended solution is
 * refused, and nothing runs against a system database instead.
 *
 * @example
 * ```ts
 * const gate = new SolutionGate({ manager, resolve: fromHeader('x-tenant') });
 * const admission = await gate.admit({ headers: req.headers, url: req.url });
 * if (admission.kind === 'rejected') return send(admission.response);
 * await gate.run(admission, () => handle(req));
 * ```
 */
export class SolutionGate {
  readonly manager: SolutionManager;
  readonly cache: SolutionCache;
  readonly #resolve: SolutionResolver;
  readonly #system: ((request: RequestInfo) => boolean) | undefined;
  readonly #suspended: SolutionGateOptions['suspended'];
  readonly #statuses: Record<RejectionCode, number>;
  readonly #respond: NonNullable<SolutionGateOptions['respond']>;
  readonly #guard: (name: unknown) => void;
  /** Where causality tokens are read from (and sent to); undefined when they are off. */
  readonly causality: ResolvedCausality | undefined;

  constructor(options: SolutionGateOptions) {
    if (!options?.manager || typeof options.manager.withSolution !== 'function') {
      throw new TypeError('SolutionGate needs { manager }: a SolutionManager of @fbs/solutions.');
    }
    this.manager = options.manager;
    this.cache = new SolutionCache(options.manager, options.cache);
    this.#resolve = options.resolve ?? fromHeader();
    this.#system = options.system;
    this.#suspended = options.suspended;
    this.#statuses = { ...DEFAULT_STATUSES, ...options.statuses };
    this.#respond = options.respond ?? defaultRejectionResponse;
    this.#guard = options.manager.nameGuard();
    this.causality = resolveCausality(options.causality);
  }

  /** Decides whether `request` may run, and in which solution. Never throws. */
  async admit(request: RequestInfo, system = false): Promise<Admission> {
    let causality: string | undefined;
    if (this.causality !== undefined) {
      const read = requestToken(this.manager.project, request.headers, this.causality.header);
      if (read.error !== undefined) return this.reject('causality_invalid', request, read.error);
      causality = read.token;
    }
    const admission = await this.#admit(request, system);
    return causality === undefined || admission.kind === 'rejected' ? admission : { ...admission, causality };
  }

  async #admit(request: RequestInfo, system: boolean): Promise<Admission> {
    if (system || this.#system?.(request)) return SYSTEM;
    let name: string | undefined;
    try {
      const resolved = await this.#resolve(request);
      if (resolved !== undefined && typeof resolved !== 'string') return this.reject('solution_invalid', request, `The solution must be a string, got ${typeof resolved}.`);
      name = resolved;
    } catch (error) {
      return this.reject('solution_invalid', request, `The solution could not be read from the request: ${messageOf(error)}`);
    }
    if (name === undefined || name === '') return this.reject('solution_missing', request, 'The request names no solution.');
    try {
      this.#guard(name);
    } catch (error) {
      return this.reject('solution_invalid', request, messageOf(error), name);
    }
    let status;
    try {
      status = await this.cache.status(name);
    } catch (error) {
      return this.reject('solution_lookup_failed', request, `The solution catalogue could not be read (${messageOf(error)}); nothing ran.`, name);
    }
    if (status === 'unknown') return this.reject('solution_unknown', request, `Unknown solution '${name}': it is not in the catalogue.`, name);
    if (status === 'dropped') return this.reject('solution_dropped', request, `Solution '${name}' was dropped.`, name);
    if (status !== 'ready') return this.reject('solution_unavailable', request, `Solution '${name}' is not ready (state '${status}').`, name);
    if (this.#suspended) {
      try {
        if (await this.#suspended(name)) return this.reject('solution_suspended', request, `Solution '${name}' is suspended.`, name);
      } catch (error) {
        return this.reject('solution_lookup_failed', request, `Whether solution '${name}' is suspended could not be checked (${messageOf(error)}); nothing ran.`, name);
      }
    }
    return { kind: 'solution', solution: name };
  }

  /**
   * Runs `fn` for an admitted request in a read-your-writes context of its own
   * (`project.withContext`, outermost; with the request's causality token adopted): inside
   * `manager.withSolution(solution)` (so every query, timer, stream and promise it starts routes to
   * that solution), or without a solution for a system route. If the solution went away since
   * `admit` (dropped meanwhile) or the catalogue cannot be read, `fn` does not run and the result is
   * the rejection to send. Errors thrown by `fn` propagate.
   */
  run<T>(admission: Admission, fn: () => T | Promise<T>, request: RequestInfo = EMPTY): Promise<{ ran: true; value: T } | { ran: false; response: RejectionResponse }> {
    if (admission.kind === 'rejected') return Promise.resolve({ ran: false, response: admission.response });
    const { project } = this.manager;
    return project.withContext(() => {
      const inner = () => this.#run(admission, fn, request);
      return admission.causality === undefined ? inner() : project.withCausality(admission.causality, inner);
    });
  }

  async #run<T>(admission: Admission & { kind: 'solution' | 'system' }, fn: () => T | Promise<T>, request: RequestInfo): Promise<{ ran: true; value: T } | { ran: false; response: RejectionResponse }> {
    if (admission.kind === 'system') return { ran: true, value: await fn() };
    let started = false;
    try {
      const value = await this.manager.withSolution(admission.solution, () => {
        started = true;
        return fn();
      });
      return { ran: true, value };
    } catch (error) {
      if (started) throw error;
      // `fn` never ran: the solution went away since `admit`, or its catalogue entry could not be read.
      this.cache.invalidate(admission.solution);
      const gone = error instanceof UnknownSolutionError || error instanceof InvalidSolutionNameError;
      const message = gone ? messageOf(error) : `The solution catalogue could not be read (${messageOf(error)}); nothing ran.`;
      return { ran: false, response: this.reject(gone ? 'solution_unknown' : 'solution_lookup_failed', request, message, admission.solution).response };
    }
  }

  /** A rejection with its response (for adapters and custom checks). */
  reject(code: RejectionCode, request: RequestInfo, message: string, solution?: string): Admission & { kind: 'rejected' } {
    const rejection: Rejection = { code, status: this.#statuses[code], message, solution };
    return { kind: 'rejected', rejection, response: this.#respond(rejection, request) };
  }

  /** Stops listening to the manager (the cache is dropped). */
  close(): void {
    this.cache.close();
  }
}

const SYSTEM: Admission = Object.freeze({ kind: 'system' });
const EMPTY: RequestInfo = Object.freeze({ headers: {}, url: '/' });

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
