import { createHash } from 'node:crypto';

/**
 * The SDK's one advisory-lock key scheme on PostgreSQL: the first 62 bits of SHA-256 of the lock's
 * name, as a positive bigint in decimal. Every lock the SDK takes (migration run locks and fences,
 * solution and template locks) goes through it.
 *
 * Why SHA-256 in the client rather than the server's `hashtextextended()`: the key is the same for
 * every server version and build (`hashtextextended` is an internal hash PostgreSQL may change), it
 * is computed before any round trip, and it can be matched against `pg_locks` (`classid`/`objid`)
 * to name a lock's holder. 62 bits keep it positive in a signed bigint and make collisions between
 * names negligible.
 *
 * @example
 * ```ts
 * await client.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockKey('fbs-migrate:fbs_migrations')]);
 * ```
 */
export function advisoryLockKey(name: string): string {
  const digest = createHash('sha256').update(name, 'utf8').digest();
  return (digest.readBigUInt64BE(0) & 0x3fffffffffffffffn).toString();
}

/**
 * The `pg_locks` rows (joined with `pg_stat_activity` as `a`) of granted advisory lock `$1` (a
 * bigint key of {@link advisoryLockKey}) in the current database. Append `AND …` to narrow it.
 */
export const ADVISORY_LOCK_ROWS = `FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`;

/** What {@link describeLockHolder} queries through. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

/** Who holds advisory lock `key`: server pid, application_name, client address and since when (its last statement). Undefined when nobody does. */
export async function describeLockHolder(client: Queryable, key: string): Promise<string | undefined> {
  const { rows } = await client.query(
    `SELECT a.pid, a.application_name, a.client_addr::text AS addr, to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since, a.state ${ADVISORY_LOCK_ROWS}`,
    [key],
  );
  const row = rows[0];
  if (!row) return undefined;
  const parts = [`server pid ${row.pid}`];
  if (row.application_name) parts.push(`application_name '${row.application_name}'`);
  if (row.addr) parts.push(`from ${row.addr}`);
  if (row.since) parts.push(`${row.state === 'idle' ? 'holding it since' : 'busy since'} ${row.since}`);
  return parts.join(', ');
}
