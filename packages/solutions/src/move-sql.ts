import { quoteIdentifier as ident, type AdminSession } from '@fbs/core/dialect';

// PostgreSQL-only statements of a move (a second dialect would move them into @fbs/core/dialect's DatabaseAdmin).

/**
 * Freezes writes to `database` on its server: new sessions start read-only
 * (`default_transaction_read_only`), and every session that began before is terminated (waiting for
 * each to exit, so its transaction is either committed before the copy or rolled back).
 */
export async function freezeDatabase(session: AdminSession, database: string): Promise<void> {
  await session.query(`ALTER DATABASE ${ident(database)} SET default_transaction_read_only = on`);
  const [now] = await session.query<{ at: string }>('SELECT clock_timestamp()::text AS at');
  const at = now!.at;
  for (let round = 0; round < 20; round++) {
    const left = await session.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_start <= $2::timestamptz',
      [database, at],
    );
    if (left.length === 0) return;
    await session.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_start <= $2::timestamptz', [database, at]);
  }
  throw new Error(`Sessions of ${database} did not exit after being terminated 20 times.`);
}

/**
 * Undoes {@link freezeDatabase}: the setting is reset and the (read-only) sessions opened meanwhile
 * are terminated, so pools reconnect writable. No-op when the database is gone.
 */
export async function thawDatabase(session: AdminSession, database: string): Promise<void> {
  const [exists] = await session.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!exists) return;
  await session.query(`ALTER DATABASE ${ident(database)} RESET default_transaction_read_only`);
  await session.query('SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
}

/** One table's (or sequence's) fingerprint: rows and an order-independent checksum of their text. */
export interface TableSum {
  readonly rows: number;
  readonly checksum: string;
}

/** Every user table (row count + md5 over the sorted md5 of each row's text) and sequence (its state) of the database `session` is in. */
export async function databaseSums(session: AdminSession): Promise<Map<string, TableSum>> {
  const relations = await session.query<{ schema: string; name: string; kind: string }>(
    "SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE c.relkind IN ('r', 'p', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2",
  );
  const sums = new Map<string, TableSum>();
  for (const { schema, name, kind } of relations) {
    const relation = `${ident(schema)}.${ident(name)}`;
    const sql =
      kind === 'S'
        ? `SELECT 1 AS rows, md5(last_value::text || ':' || is_called::text) AS checksum FROM ${relation}`
        : `SELECT count(*)::int AS rows, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS checksum FROM ${relation} t`;
    const [row] = await session.query<{ rows: number; checksum: string }>(sql);
    sums.set(`${schema}.${name}`, { rows: Number(row!.rows), checksum: row!.checksum });
  }
  return sums;
}

/** The differences between two sets of sums, as sentences (empty: equal). */
export function compareSums(source: ReadonlyMap<string, TableSum>, target: ReadonlyMap<string, TableSum>): string[] {
  const problems: string[] = [];
  for (const [table, sum] of source) {
    const other = target.get(table);
    if (!other) problems.push(`${table} is missing on the target`);
    else if (other.rows !== sum.rows) problems.push(`${table} has ${sum.rows} rows on the source, ${other.rows} on the target`);
    else if (other.checksum !== sum.checksum) problems.push(`${table} has the same ${sum.rows} rows count but a different checksum`);
  }
  for (const table of target.keys()) if (!source.has(table)) problems.push(`${table} exists only on the target`);
  return problems;
}
