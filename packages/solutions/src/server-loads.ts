import type { ServerHandle } from './server-registry';
import type { SolutionInfo } from './solution-info';

/** One server as `servers()` and `fbs-solutions servers` show it. */
export interface ServerInfo {
  readonly name: string;
  /** `host:port` (no user, no password). */
  readonly address: string;
  /** Catalogued solutions with at least one database there. */
  readonly solutions: number;
  readonly weight: number;
  /** No new placements. */
  readonly draining: boolean;
}

/** Counts the solutions of each server from catalogue rows (a solution split over two servers counts on both). */
export function serverLoads(servers: readonly ServerHandle[], records: readonly SolutionInfo[]): ServerInfo[] {
  const counts = new Map<string, number>();
  for (const record of records) for (const server of new Set(Object.values(record.servers))) counts.set(server, (counts.get(server) ?? 0) + 1);
  return servers.map((h) => ({
    name: h.name,
    address: `${h.server.config.host ?? 'localhost'}:${h.server.config.port ?? 5432}`,
    solutions: counts.get(h.name) ?? 0,
    weight: h.server.weight,
    draining: h.draining,
  }));
}
