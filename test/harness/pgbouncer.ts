import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './cluster';

const run = promisify(execFile);

/**
 * A throwaway PgBouncer on a free loopback port (never 5432/6432) in front of a PostgreSQL server
 * (a throwaway cluster or the test server): its own temp dir (config, auth file, log, pid file),
 * `auth_type = trust`, every database forwarded (`* = host=… port=…`). PgBouncer refuses to run as
 * root, so as root it runs as `postgres`. `stop()` in `after` (even on failure); the root hook stops
 * whatever a run left (`stopAllPgBouncers()`).
 */
export interface ThrowawayPgBouncer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly poolMode: PoolMode;
  /** `postgres://user@127.0.0.1:port/database` through the pooler. */
  url(database: string, user?: string): string;
  /** The pgbouncer.ini it runs with (docs quote a tested one). */
  readonly ini: string;
  /** Runs a command on PgBouncer's admin console (`SHOW POOLS`, `SHOW SERVERS`, …). */
  admin<T extends object = any>(command: string): Promise<T[]>;
  /** PgBouncer's log so far. */
  log(): Promise<string>;
  /** Stops PgBouncer and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export type PoolMode = 'transaction' | 'session' | 'statement';

export interface PgBouncerOptions {
  /** The server PgBouncer forwards to. */
  readonly server: { readonly host: string; readonly port: number };
  /** Default `transaction`. */
  readonly poolMode?: PoolMode;
  /** Server connections per database/user pair (`default_pool_size`). Default 5. */
  readonly poolSize?: number;
  /** Users allowed to log in (the auth file). Default `['postgres']`. */
  readonly users?: readonly string[];
  /** Extra `[pgbouncer]` settings, e.g. `{ ignore_startup_parameters: 'extra_float_digits,options' }`. */
  readonly settings?: Record<string, string | number>;
}

const BINARY_CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer'];
const live = new Set<ThrowawayPgBouncer>();
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The pgbouncer binary, or undefined (tests are then pending with {@link pgbouncerMissing}). */
export function pgbouncerBinary(): string | undefined {
  const found = BINARY_CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why PgBouncer tests cannot run here (for `this.skip()`), or undefined when they can. */
export function pgbouncerMissing(): string | undefined {
  return pgbouncerBinary() ? undefined : 'pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it as root)';
}

/** Starts a PgBouncer in front of `options.server` and waits until it accepts connections. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<ThrowawayPgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error(pgbouncerMissing());
  const dir = await mkdtemp(join(tmpdir(), 'fbs-pgbouncer-'));
  await chmod(dir, 0o777);
  let port = await freePort();
  while (port === 6432) port = await freePort();
  const poolMode = options.poolMode ?? 'transaction';
  const users = options.users ?? ['postgres'];
  const settings: Record<string, string | number> = {
    listen_addr: '127.0.0.1',
    listen_port: port,
    unix_socket_dir: '',
    auth_type: 'trust',
    auth_file: join(dir, 'userlist.txt'),
    admin_users: 'postgres',
    pool_mode: poolMode,
    default_pool_size: options.poolSize ?? 5,
    max_client_conn: 500,
    // node-postgres sends no extra_float_digits, but psql / JDBC do; harmless to ignore.
    ignore_startup_parameters: 'extra_float_digits',
    server_reset_query: 'DISCARD ALL',
    logfile: join(dir, 'pgbouncer.log'),
    pidfile: join(dir, 'pgbouncer.pid'),
    ...options.settings,
  };
  const ini =
    `[databases]\n* = host=${options.server.host} port=${options.server.port}\n\n[pgbouncer]\n` +
    Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
  await writeFile(join(dir, 'pgbouncer.ini'), ini, { mode: 0o644 });
  await writeFile(join(dir, 'userlist.txt'), users.map((u) => `"${u}" ""`).join('\n') + '\n', { mode: 0o644 });
  const args = ['-d', join(dir, 'pgbouncer.ini')];
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, args);
  let stopped = false;
  const bouncer: ThrowawayPgBouncer = {
    host: '127.0.0.1',
    port,
    poolMode,
    ini,
    url: (database, user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`,
    async admin(command) {
      const { Client } = await import('pg');
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'pgbouncer' });
      await client.connect();
      try {
        // The admin console speaks only the simple query protocol.
        return (await client.query(command)).rows;
      } finally {
        await client.end();
      }
    },
    log: () => readFile(join(dir, 'pgbouncer.log'), 'utf8').catch(() => ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      live.delete(bouncer);
      const pid = Number((await readFile(join(dir, 'pgbouncer.pid'), 'utf8').catch(() => '')).trim());
      if (pid > 0) await kill(pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
  live.add(bouncer);
  try {
    await waitForPort(port, 10_000);
  } catch (error) {
    const log = await bouncer.log();
    await bouncer.stop();
    throw new Error(`pgbouncer did not start on port ${port}: ${(error as Error).message}\n${log}`);
  }
  return bouncer;
}

/** Stops every PgBouncer this process started and has not stopped yet. */
export async function stopAllPgBouncers(): Promise<void> {
  await Promise.all([...live].map((b) => b.stop()));
}

/** SIGTERM (PgBouncer's immediate shutdown), then waits until the process is gone (SIGKILL after 5 s). */
async function kill(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive()) process.kill(pid, 'SIGKILL');
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
