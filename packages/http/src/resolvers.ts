import type { RequestInfo } from './request-info';

/**
 * Reads the solution name of a request: a string, or undefined when the request names none (the
 * gate answers `solution_missing`). May be async (e.g. a token lookup). Throwing rejects the request.
 */
export type SolutionResolver = (request: RequestInfo) => string | undefined | Promise<string | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The solution from a request header (default `x-solution`).
 *
 * @example
 * ```ts
 * solutionMiddleware({ manager, resolve: fromHeader('x-tenant') });
 * ```
 */
export function fromHeader(name = 'x-solution'): SolutionResolver {
  const key = name.toLowerCase();
  return (request) => first(request.headers[key])?.trim() || undefined;
}

/**
 * The solution from the first label of the `Host` header under `baseDomain`
 * (`acme.app.example.com` with base `app.example.com` → `acme`). A host outside the base domain,
 * the bare base domain, or a nested label (`a.b.app.example.com`) names no solution.
 * `X-Forwarded-Host` is read only with `{ forwarded: true }` (behind a proxy that sets it).
 *
 * @example
 * ```ts
 * solutionMiddleware({ manager, resolve: fromSubdomain('app.example.com') });
 * ```
 */
export function fromSubdomain(baseDomain: string, options: { forwarded?: boolean } = {}): SolutionResolver {
  const suffix = `.${baseDomain.toLowerCase().replace(/^\.+/, '')}`;
  return (request) => {
    const host = first((options.forwarded ? request.headers['x-forwarded-host'] : undefined) ?? request.headers.host);
    if (!host) return undefined;
    const name = host.toLowerCase().replace(/:\d+$/, '');
    if (!name.endsWith(suffix)) return undefined;
    const label = name.slice(0, -suffix.length);
    return label && !label.includes('.') ? label : undefined;
  };
}

/**
 * The solution from a route parameter the framework matched (`app.use('/t/:solution', …)` in
 * Express, a route `/t/:solution/...` in Fastify), falling back to the path segment at `segment`
 * (0-based, of the URL's path) when given: `fromPathParam('solution', 1)` reads `/t/acme/x` → `acme`.
 *
 * @example
 * ```ts
 * app.use('/t/:solution', solutionMiddleware({ manager, resolve: fromPathParam('solution') }));
 * ```
 */
export function fromPathParam(name = 'solution', segment?: number): SolutionResolver {
  return (request) => {
    const value = request.params?.[name];
    if (typeof value === 'string' && value !== '') return decodeURIComponent(value);
    if (segment === undefined) return undefined;
    const path = request.url.split('?', 1)[0] ?? '';
    const part = path.split('/').filter(Boolean)[segment];
    return part ? decodeURIComponent(part) : undefined;
  };
}

/**
 * The first resolver that names a solution wins.
 *
 * @example
 * ```ts
 * resolve: anyOf(fromHeader(), fromSubdomain('app.example.com'))
 * ```
 */
export function anyOf(...resolvers: SolutionResolver[]): SolutionResolver {
  return async (request) => {
    for (const resolver of resolvers) {
      const name = await resolver(request);
      if (name !== undefined && name !== '') return name;
    }
    return undefined;
  };
}
