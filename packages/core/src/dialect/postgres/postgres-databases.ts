import { ConfigurationError } from '../../errors';
import type { AdminSession, CreateDatabaseOptions } from '../database-admin';
import { checkIdentifierLength, quoteIdentifier as ident, quoteLiteral } from './postgres-identifiers';

/** The server's version as semver (`15.20.0`), from `server_version_num`; undefined before PostgreSQL 10. */
export async function serverVersion(session: AdminSession): Promise<string | undefined> {
  const [row] = await session.query<{ v: string }>('SHOW server_version_num');
  const n = Number(row?.v);
  return n >= 100000 ? `${Math.floor(n / 10000)}.${n % 10000}.0` : undefined;
}

/** Which of `names` exist on the server. */
export async function existingDatabases(session: AdminSession, names: readonly string[]): Promise<Set<string>> {
  const rows = await session.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
  return new Set(rows.map((r) => r.datname));
}

/**
 * `CREATE DATABASE name [TEMPLATE t] [OWNER o]`. Names longer than the identifier limit are refused
 * before any SQL (the server would truncate them into another name). The server refuses an existing
 * name (42P04), a missing template (3D000) and a template with sessions (55006, after about 5 s).
 */
export async function createDatabase(session: AdminSession, name: string, options: CreateDatabaseOptions = {}): Promise<void> {
  checkIdentifierLength(name, 'Database name');
  const template = options.template === undefined ? '' : ` TEMPLATE ${ident(checkIdentifierLength(options.template, 'Template database name'))}`;
  const owner = options.owner === undefined ? '' : ` OWNER ${ident(checkIdentifierLength(options.owner, 'Owner role name'))}`;
  await session.query(`CREATE DATABASE ${ident(name)}${template}${owner}`);
}

/**
 * `DROP DATABASE IF EXISTS … WITH (FORCE)` (ends its sessions; PostgreSQL 13+). Refuses the
 * database the session itself is connected to, with an error naming it. Resolves to whether it existed.
 */
export async function dropDatabase(session: AdminSession, name: string): Promise<boolean> {
  checkIdentifierLength(name, 'Database name');
  const [row] = await session.query<{ current: string; exists: boolean }>(
    'SELECT current_database() AS current, EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists',
    [name],
  );
  if (row?.current === name) {
    throw new ConfigurationError(`Database '${name}' cannot be dropped from a session connected to it; connect to another database of the server (e.g. 'postgres').`);
  }
  await session.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  return row?.exists === true;
}

/** Ends every other session connected to `database` (`pg_terminate_backend`); resolves to how many it ended. */
export async function terminateConnections(session: AdminSession, database: string): Promise<number> {
  const rows = await session.query<{ ok: boolean }>(
    'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  return rows.filter((r) => r.ok).length;
}

/** The comment on database `name`, undefined when it has none (or does not exist). */
export async function databaseComment(session: AdminSession, name: string): Promise<string | undefined> {
  const [row] = await session.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [name]);
  return row?.c ?? undefined;
}

/** `COMMENT ON DATABASE` (a DDL statement: the text is a quoted literal, not a parameter). */
export async function setDatabaseComment(session: AdminSession, name: string, comment: string): Promise<void> {
  await session.query(`COMMENT ON DATABASE ${ident(name)} IS ${quoteLiteral(comment)}`);
}

/** Inside a freshly migrated template: `VACUUM (FULL, FREEZE)`, so every clone copies less. */
export async function compact(inDatabase: AdminSession): Promise<void> {
  await inDatabase.query('VACUUM (FULL, FREEZE)');
}
