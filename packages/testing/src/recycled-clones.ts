import type { ServerAdmin } from './server-admin';

/**
 * Clean clones parked by `teardown()` in this process, for the next suite of the same run: a suite
 * whose queries all ran inside rolled-back test transactions leaves its databases exactly as it
 * cloned them, so the next suite of this process (vitest and jest run many files per worker) takes
 * them instead of dropping and cloning again. Keyed by server and database names; valid only while
 * the templates' stamps are unchanged. Dropped by `teardown({ templates: true })` and
 * `dropTestTemplates()`.
 */
const parked = new Map<string, string>();

function key(admin: ServerAdmin, databases: readonly string[]): string {
  return `${admin.server.host}:${admin.server.port}/${[...databases].sort().join(',')}`;
}

/** Parks clean clones cloned at `stamp`. */
export function park(admin: ServerAdmin, databases: readonly string[], stamp: string): void {
  parked.set(key(admin, databases), stamp);
}

/** Takes parked clones when they were cloned at `stamp` (else forgets them: they are re-cloned). */
export function takeParked(admin: ServerAdmin, databases: readonly string[], stamp: string): boolean {
  const k = key(admin, databases);
  const found = parked.get(k);
  parked.delete(k);
  return found === stamp;
}

/** Forgets parked clones holding any of `databases` (they are being dropped). */
export function forgetParked(admin: ServerAdmin, databases: readonly string[]): void {
  for (const k of [...parked.keys()]) {
    if (k.startsWith(`${admin.server.host}:${admin.server.port}/`) && databases.some((d) => k.split('/')[1]!.split(',').includes(d))) parked.delete(k);
  }
}
