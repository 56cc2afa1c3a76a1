import type { TestDatabasesConfig } from '@fbs/testing';
import { createShopProject, shopDatabases } from '../../examples/testing-mocha/src/project';
import { adminQuery, queryDatabase, testServer } from '../harness/postgres';

let counter = 0;

/** A prefix unique to this process and call: test databases of concurrent runs never collide. */
export function uniquePrefix(): string {
  return `tst_${process.pid}_${++counter}_`;
}

/** The shop example's databases on the test server (what its `shopDatabases()` reads from PG*). */
export async function shopConfig(prefix = uniquePrefix(), extra: Partial<TestDatabasesConfig> = {}): Promise<TestDatabasesConfig> {
  const server = await testServer();
  const env = { PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user };
  const databases = Object.fromEntries(Object.entries(shopDatabases(env)).map(([alias, url]) => [alias, server.password ? { url: url as string, password: server.password } : url]));
  return { databases, project: createShopProject, test: { replica: { mirror: 'default' } }, prefix, ...extra };
}

/** Names of the server's databases starting with `prefix`. */
export async function databasesWithPrefix(prefix: string): Promise<string[]> {
  const rows = await adminQuery<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", [prefix]);
  return rows.map((r) => r.datname);
}

/** Drops every database starting with `prefix` (a test's cleanup, whatever it left). */
export async function dropWithPrefix(prefix: string): Promise<void> {
  for (const name of await databasesWithPrefix(prefix)) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The database's OID: it changes when the database is dropped and created again. */
export async function databaseOid(name: string): Promise<number | undefined> {
  const rows = await adminQuery<{ oid: number }>('SELECT oid::int AS oid FROM pg_database WHERE datname = $1', [name]);
  return rows[0]?.oid;
}

/** Rows counted over a direct connection (outside any test transaction). */
export async function countRows(database: string, table: string): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(database, `SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}
