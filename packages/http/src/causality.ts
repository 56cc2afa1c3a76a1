import { AsyncResource } from 'node:async_hooks';
import type { Project } from '@fbs/core';

/** The header a causality token travels in, on requests and responses, unless configured otherwise. */
export const DEFAULT_CAUSALITY_HEADER = 'x-fbs-causality';

/** The token of a context that wrote nothing and adopted nothing. */
const EMPTY_TOKEN = 'v1';

/** Causality tokens across requests (`SolutionGateOptions.causality`). */
export interface CausalityConfig {
  /**
   * The request header a token is read from, and the response header `send` writes it to
   * (default `x-fbs-causality`). A request carrying a malformed token is refused with 400
   * (`causality_invalid`) before anything runs.
   */
  readonly header?: string;
  /**
   * `true`: the response of every request whose context wrote (or adopted a token) carries the
   * context's token in `header`, as of when the response starts. Default `false`: set it yourself
   * with {@link causalityHeaders}.
   */
  readonly send?: boolean;
}

/** The checked form of a {@link CausalityConfig} (`undefined` when tokens are off). */
export interface ResolvedCausality {
  readonly header: string;
  readonly send: boolean;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** Checks `config` (`false`: tokens are neither read nor sent). */
export function resolveCausality(config: CausalityConfig | false | undefined): ResolvedCausality | undefined {
  if (config === false) return undefined;
  if (config !== undefined && (config === null || typeof config !== 'object')) {
    throw new TypeError(`causality must be { header?, send? } or false, got ${String(config)}.`);
  }
  const header = config?.header ?? DEFAULT_CAUSALITY_HEADER;
  if (typeof header !== 'string' || !HEADER_NAME.test(header.toLowerCase())) {
    throw new TypeError(`causality.header must be an HTTP header name such as '${DEFAULT_CAUSALITY_HEADER}', got ${JSON.stringify(header)}.`);
  }
  if (config?.send !== undefined && typeof config.send !== 'boolean') {
    throw new TypeError(`causality.send must be true or false, got ${JSON.stringify(config.send)}.`);
  }
  return { header: header.toLowerCase(), send: config?.send === true };
}

/**
 * The response headers that hand the current context's causality token on: `{ [header]: token }`
 * once the context wrote (or adopted a token), `{}` before. Call it after the writes, inside the
 * request (the gate runs every request in its own context).
 *
 * @example
 * ```ts
 * await project.model(Order).create(req.body);
 * res.set(causalityHeaders(project)).json(order);        // Express; Fastify: reply.headers(…)
 * ```
 */
export function causalityHeaders(project: Pick<Project, 'causalityToken'>, header = DEFAULT_CAUSALITY_HEADER): Record<string, string> {
  const token = project.causalityToken();
  return token === EMPTY_TOKEN ? {} : { [header]: token };
}

/** Runs a callback in the async context this was created in (a request's, entered again later). */
export type ContextResume = <T>(fn: () => T) => T;

/** Captures the current async context (its routing scope and read-your-writes context included). */
export function captureContext(): ContextResume {
  return AsyncResource.bind(<T>(fn: () => T): T => fn()) as ContextResume;
}

/**
 * The token a request carries in `header`: `undefined` when absent or empty, or the `error` when
 * it is not a token `project` can adopt (checked in a throwaway context: nothing is merged yet).
 */
export function requestToken(project: Project, headers: Readonly<Record<string, string | string[] | undefined>>, header: string): { token?: string; error?: string } {
  const raw = headers[header];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (value === undefined || value === '') return {};
  try {
    project.withContext(() => project.withCausality(value, () => undefined));
    return { token: value };
  } catch (error) {
    return { error: `Header '${header}': ${error instanceof Error ? error.message : String(error)}` };
  }
}
