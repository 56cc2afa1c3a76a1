import { ConfigurationError } from '@fbs/core';

/** What a placement policy is told about one server. */
export interface ServerLoad {
  readonly name: string;
  /** Solutions with at least one database there (catalogue, including interrupted creations). */
  readonly solutions: number;
  readonly weight: number;
}

/** What a placement function gets. */
export interface PlacementContext {
  readonly solution: string;
  /** The database kinds of a solution (`['djo', 'fbs']`). */
  readonly kinds: readonly string[];
  /** Servers open to new solutions (not draining), in config order. */
  readonly servers: readonly ServerLoad[];
}

/**
 * Where new solutions go: `'fewest-solutions'` (default), `'weighted'` (fewest solutions per unit of
 * `weight`), or a function returning a server name — or one per database kind, to split a solution's
 * databases over servers. `create(name, { server })` overrides any policy.
 *
 * @example
 * ```ts
 * placement: ({ solution, servers }) => (solution.startsWith('big_') ? 'pg3' : servers[0].name)
 * placement: () => ({ djo: 'pg1', fbs: 'pg2' })
 * ```
 */
export type PlacementPolicy =
  | 'fewest-solutions'
  | 'weighted'
  | ((context: PlacementContext) => string | Readonly<Record<string, string>> | Promise<string | Readonly<Record<string, string>>>);

/** Checks the policy of the config. */
export function checkPlacementPolicy(policy: unknown): PlacementPolicy {
  if (policy === undefined) return 'fewest-solutions';
  if (policy === 'fewest-solutions' || policy === 'weighted' || typeof policy === 'function') return policy as PlacementPolicy;
  throw new ConfigurationError(`placement ${JSON.stringify(policy)} must be 'fewest-solutions', 'weighted' or a function ({ solution, servers }) => serverName.`);
}

/**
 * Picks the server of each database kind of a new solution. `known` are every configured server
 * name (a function may name a draining one only through `create(name, { server })`).
 */
export async function placeSolution(policy: PlacementPolicy, context: PlacementContext, known: readonly string[]): Promise<Record<string, string>> {
  if (context.servers.length === 0) {
    throw new ConfigurationError(`No server takes new solutions: every server (${known.join(', ')}) is draining. Add a server or undrain one, or pass create(name, { server }).`);
  }
  const open = context.servers.map((s) => s.name);
  let chosen: string | Readonly<Record<string, string>>;
  if (policy === 'fewest-solutions') chosen = leastLoaded(context.servers, (s) => s.solutions);
  else if (policy === 'weighted') {
    const weighted = context.servers.filter((s) => s.weight > 0);
    if (weighted.length === 0) throw new ConfigurationError(`placement 'weighted': every open server has weight 0 (${open.join(', ')}). Give one a weight > 0.`);
    chosen = leastLoaded(weighted, (s) => (s.solutions + 1) / s.weight);
  } else chosen = await policy(context);
  const byKind = typeof chosen === 'string' ? Object.fromEntries(context.kinds.map((k) => [k, chosen as string])) : { ...chosen };
  for (const kind of context.kinds) {
    const server = byKind[kind];
    if (typeof server !== 'string' || !open.includes(server)) {
      throw new ConfigurationError(
        `The placement policy chose ${JSON.stringify(server)} for the ${kind} database of '${context.solution}', which is not a server open to new solutions (${open.join(', ')}). ` +
          `Return one of those names${context.kinds.length > 1 ? ` or { ${context.kinds.map((k) => `${k}: name`).join(', ')} }` : ''}.`,
      );
    }
  }
  return byKind;
}

/** The server with the lowest `score` (first in config order on a tie). */
function leastLoaded(servers: readonly ServerLoad[], score: (s: ServerLoad) => number): string {
  let best = servers[0]!;
  for (const server of servers) if (score(server) < score(best)) best = server;
  return best.name;
}
