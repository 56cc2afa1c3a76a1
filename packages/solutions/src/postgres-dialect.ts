import { escapeIdentifier, escapeLiteral } from 'pg';
import type { SolutionDialect } from './dialect';

/** `"name"`, quoted as an identifier. */
const ident = (name: string): string => escapeIdentifier(name);
/** `'text'`, quoted as a literal (for DDL that takes no parameters). */
const literal = (text: string): string => escapeLiteral(text);

const lockFn = (shared: boolean, take: boolean) => `pg_advisory_${take ? '' : 'un'}lock${shared ? '_shared' : ''}`;

/** PostgreSQL: `CREATE DATABASE … TEMPLATE`, comments on databases, advisory locks, login roles. */
export const postgresDialect: SolutionDialect = {
  async serverVersion(session) {
    const [row] = await session.query<{ v: string }>('SHOW server_version_num');
    const n = Number(row?.v);
    return n >= 100000 ? `${Math.floor(n / 10000)}.${n % 10000}.0` : undefined;
  },
  async lock(session, key, shared) {
    await session.query(`SELECT ${lockFn(shared, true)}(hashtextextended($1, 0))`, [key]);
  },
  async unlock(session, key, shared) {
    await session.query(`SELECT ${lockFn(shared, false)}(hashtextextended($1, 0))`, [key]);
  },
  async existingDatabases(session, names) {
    const rows = await session.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names]);
    return new Set(rows.map((r) => r.datname));
  },
  async createDatabase(session, name, options = {}) {
    const template = options.template ? ` TEMPLATE ${ident(options.template)}` : '';
    const owner = options.owner ? ` OWNER ${ident(options.owner)}` : '';
    await session.query(`CREATE DATABASE ${ident(name)}${template}${owner}`);
  },
  async dropDatabase(session, name) {
    await session.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  },
  isTemplateBusy(error) {
    // 55006 object_in_use: "source database … is being accessed by other users" (after about 5 s).
    return (error as { code?: string } | undefined)?.code === '55006';
  },
  async databaseComment(session, name) {
    const [row] = await session.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [name]);
    return row?.c ?? undefined;
  },
  async setDatabaseComment(session, name, comment) {
    await session.query(`COMMENT ON DATABASE ${ident(name)} IS ${literal(comment)}`);
  },
  async createLoginRole(session, role, verifier, marker) {
    // One simple-protocol query is one implicit transaction: the role never exists without its marker.
    await session.query(
      `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${literal(verifier)}; ` +
        `COMMENT ON ROLE ${ident(role)} IS ${literal(marker)}`,
      [],
      { secret: true },
    );
  },
  async alterLoginRole(session, role, verifier) {
    await session.query(`ALTER ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(verifier)}`, [], { secret: true });
  },
  async roleComment(session, role) {
    const [row] = await session.query<{ c: string | null }>("SELECT shobj_description(oid, 'pg_authid') AS c FROM pg_roles WHERE rolname = $1", [role]);
    return row === undefined ? undefined : row.c;
  },
  async roleExists(session, role) {
    return (await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).length > 0;
  },
  async dropRole(session, role) {
    await session.query(`DROP ROLE IF EXISTS ${ident(role)}`);
  },
  async closeToPublic(session, database) {
    await session.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`);
  },
  async restrictConnect(session, database, role, owner) {
    if (owner) await session.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(role)}`);
    await this.closeToPublic(session, database);
    await session.query(`GRANT CONNECT${owner ? ', TEMPORARY' : ''} ON DATABASE ${ident(database)} TO ${ident(role)}`);
  },
  async connectableDatabases(session, role) {
    const rows = await session.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datallowconn AND has_database_privilege($1, oid, 'CONNECT') ORDER BY datname",
      [role],
    );
    return rows.map((r) => r.datname);
  },
  async compact(inDatabase) {
    await inDatabase.query('VACUUM (FULL, FREEZE)');
  },
  async grantCreate(inDatabase, role) {
    await inDatabase.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${ident(role)}`);
  },
  async reassignOwned(inDatabase, from, to) {
    await inDatabase.query(`REASSIGN OWNED BY ${ident(from)} TO ${ident(to)}`);
    await inDatabase.query(`REVOKE ALL ON SCHEMA public FROM ${ident(from)}`);
  },
};
