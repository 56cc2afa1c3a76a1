import type { AdminSession } from '../database-admin';
import { checkIdentifierLength, quoteIdentifier as ident, quoteLiteral as literal } from './postgres-identifiers';

const role = (name: string) => ident(checkIdentifierLength(name, 'Role name'));

/**
 * Creates a login role without special rights, with password verifier `verifier` and comment
 * `marker`. One simple-protocol query is one implicit transaction: the role never exists without
 * its marker. Logged redacted.
 */
export async function createLoginRole(session: AdminSession, name: string, verifier: string, marker: string): Promise<void> {
  await session.query(
    `CREATE ROLE ${role(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(verifier)}; ` +
      `COMMENT ON ROLE ${role(name)} IS ${literal(marker)}`,
    [],
    { secret: true },
  );
}

/** Resets an existing role to a plain login role with password verifier `verifier`. Logged redacted. */
export async function alterLoginRole(session: AdminSession, name: string, verifier: string): Promise<void> {
  await session.query(`ALTER ROLE ${role(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(verifier)}`, [], { secret: true });
}

/** The role's comment: undefined when the role does not exist, null when it has none. */
export async function roleComment(session: AdminSession, name: string): Promise<string | null | undefined> {
  const [row] = await session.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_authid') AS c FROM pg_roles WHERE rolname = $1", [name]);
  return row === undefined ? undefined : row.c;
}

export async function roleExists(session: AdminSession, name: string): Promise<boolean> {
  return (await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).length > 0;
}

export async function dropRole(session: AdminSession, name: string): Promise<void> {
  await session.query(`DROP ROLE IF EXISTS ${role(name)}`);
}

/** Takes `CONNECT` and `TEMPORARY` on `database` away from PUBLIC. */
export async function closeToPublic(session: AdminSession, database: string): Promise<void> {
  await session.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`);
}

/** Lets only `name` (and superusers) connect to `database`; `owner` also makes it the database's owner. */
export async function restrictConnect(session: AdminSession, database: string, name: string, owner: boolean): Promise<void> {
  if (owner) await session.query(`ALTER DATABASE ${ident(database)} OWNER TO ${role(name)}`);
  await closeToPublic(session, database);
  await session.query(`GRANT CONNECT${owner ? ', TEMPORARY' : ''} ON DATABASE ${ident(database)} TO ${role(name)}`);
}

/** The databases `name` may connect to. */
export async function connectableDatabases(session: AdminSession, name: string): Promise<string[]> {
  const rows = await session.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datallowconn AND has_database_privilege($1, oid, 'CONNECT') ORDER BY datname",
    [name],
  );
  return rows.map((r) => r.datname);
}

/** Inside a database: lets `name` create objects in schema `public`. */
export async function grantCreate(inDatabase: AdminSession, name: string): Promise<void> {
  await inDatabase.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role(name)}`);
}

/** Inside a database: hands every object `from` owns to `to`, and drops `from`'s rights on schema `public`. */
export async function reassignOwned(inDatabase: AdminSession, from: string, to: string): Promise<void> {
  await inDatabase.query(`REASSIGN OWNED BY ${role(from)} TO ${role(to)}`);
  await inDatabase.query(`REVOKE ALL ON SCHEMA public FROM ${role(from)}`);
}
