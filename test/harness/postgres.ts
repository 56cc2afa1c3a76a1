import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '@fbs/core/embedded';

/**
 * The PostgreSQL server tests run against:
 * 1. `FBS_TEST_DATABASE_URL` (an admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres), else
 * 2. the standard `PG*` variables (PGHOST, PGPORT, PGUSER, PGPASSWORD; defaults 127.0.0.1:5432, user postgres),
 *    when a server answers there, else
 * 3. an embedded PostgreSQL started once per run (always, with FBS_TEST_EMBEDDED=1).
 */
export interface TestServer {
  readonly kind: 'url' | 'env' | 'embedded';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  /** A URL of `database` on this server. */
  url(database: string): string;
}

let serverPromise: Promise<TestServer> | undefined;
let embedded: EmbeddedPostgresServer | undefined;
const created = new Set<string>();
let counter = 0;

export function testServer(): Promise<TestServer> {
  serverPromise ??= findServer();
  return serverPromise;
}

async function findServer(): Promise<TestServer> {
  const url = process.env.FBS_TEST_DATABASE_URL;
  if (url) {
    const u = new URL(url);
    return makeServer('url', u.hostname, Number(u.port || 5432), decodeURIComponent(u.username || 'postgres'), u.password ? decodeURIComponent(u.password) : undefined);
  }
  if (process.env.FBS_TEST_EMBEDDED !== '1') {
    const host = process.env.PGHOST ?? '127.0.0.1';
    const port = Number(process.env.PGPORT ?? 5432);
    const user = process.env.PGUSER ?? 'postgres';
    const password = process.env.PGPASSWORD;
    if (await reachable({ host, port, user, password, database: process.env.PGDATABASE ?? 'postgres' })) {
      return makeServer('env', host, port, user, password);
    }
  }
  embedded = await startEmbeddedPostgres();
  return makeServer('embedded', embedded.host, embedded.port, embedded.user, embedded.password);
}

function makeServer(kind: TestServer['kind'], host: string, port: number, user: string, password: string | undefined): TestServer {
  const auth = encodeURIComponent(user) + (password ? `:${encodeURIComponent(password)}` : '');
  return { kind, host, port, user, password, url: (database) => `postgres://${auth}@${host}:${port}/${database}` };
}

async function reachable(config: object): Promise<boolean> {
  // A refused connection answers at once; the long timeout only matters for a server that is there but
  // slow (a loaded machine), which must not be mistaken for no server (the run would silently move to an embedded one).
  const client = new Client({ ...config, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs SQL on the server's maintenance database. */
export async function adminQuery<T extends object = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const server = await testServer();
  const client = new Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs SQL on one database of the server. */
export async function queryDatabase<T extends object = any>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const server = await testServer();
  const client = new Client({ connectionString: server.url(database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database name (not created). Dropped at the end of the run if it exists. */
export function uniqueDatabaseName(prefix = 't'): string {
  const name = `fbs_${prefix}_${process.pid}_${++counter}`;
  created.add(name);
  return name;
}

/** Creates `count` fresh databases and returns their names. */
export async function createDatabases(count: number, prefix = 't'): Promise<string[]> {
  const names = Array.from({ length: count }, () => uniqueDatabaseName(prefix));
  for (const name of names) await adminQuery(`CREATE DATABASE "${name}"`);
  return names;
}

/** Drops the given databases (or every database this run created). */
export async function dropDatabases(names: Iterable<string> = created): Promise<void> {
  for (const name of [...names]) {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    created.delete(name);
  }
}

/** Drops what the run created and stops the embedded server, if one was started. */
export async function shutdown(): Promise<void> {
  if (!serverPromise) return;
  await dropDatabases();
  await embedded?.stop();
  embedded = undefined;
  serverPromise = undefined;
}
