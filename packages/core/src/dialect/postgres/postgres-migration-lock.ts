import type { Sequelize } from 'sequelize-typescript';
import type { LockBusy, LockRequest, LockSession, MigrationLock } from '../dialect-adapter';
import { pollLock } from '../lock-polling';
import { advisoryLockKey, describeLockHolder } from './postgres-lock-key';

interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  end(): Promise<void>;
}

/**
 * Run on every session the migrator keeps open while it works (the lock's, a fenced session): the
 * server must not end it for idling (`idle_session_timeout`, PostgreSQL 14+; skipped where the
 * setting does not exist), and it says who it is when the user gave no `application_name`.
 */
export const SESSION_SETUP =
  "SELECT set_config('idle_session_timeout', '0', false) FROM pg_settings WHERE name = 'idle_session_timeout'; " +
  "SELECT set_config('application_name', 'fbs-migrate', false) WHERE current_setting('application_name') = ''";

/** The advisory key of the run lock of history table `key` (the scheme of migrators before the dialect module, so old and new exclude each other). */
export function runLockKey(key: string): string {
  return advisoryLockKey(`fbs-migrate:${key}`);
}

/** The key of the per-migration fence of history table `key` (distinct from the run lock). */
export function fenceKey(key: string): string {
  return advisoryLockKey(`fbs-migrate:${key}:fence`);
}

/** Takes the run lock on a connection taken out of the pool, polling `pg_try_advisory_lock`. */
export async function takeLock(sequelize: Sequelize, key: string, request: LockRequest): Promise<MigrationLock | LockBusy> {
  // Sequelize's public connection manager: a connection taken out of the pool for the run's lifetime.
  const manager = sequelize.connectionManager as unknown as Manager;
  const client = (await manager.getConnection({ type: 'write', useMaster: true })) as PgClient;
  const lockKey = runLockKey(key);
  let lock: MigrationLock | undefined;
  try {
    await client.query(SESSION_SETUP);
    let holder: string | undefined;
    const got = await pollLock(async () => (await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey])).rows[0].ok === true, {
      timeoutMs: request.wait ? request.timeoutMs : 0,
      signal: request.signal,
      onBusy: async () => {
        holder = await describeLockHolder(client, lockKey);
        if (request.wait && request.timeoutMs !== 0) request.onWait(holder);
      },
    });
    if (!got) return { busy: true, holder: (await describeLockHolder(client, lockKey)) ?? holder, timedOut: request.wait };
    const [row] = (await client.query('SELECT pg_backend_pid() AS pid, backend_start::text AS start FROM pg_stat_activity WHERE pid = pg_backend_pid()')).rows;
    lock = lockOn(manager, client, lockKey, { pid: row.pid, backendStart: row.start });
    return lock;
  } catch (error) {
    if (!lock) await discard(manager, client);
    throw error;
  } finally {
    if (!lock) manager.releaseConnection(client);
  }
}

function lockOn(manager: Manager, client: PgClient, lockKey: string, session: LockSession): MigrationLock {
  let released: Promise<void> | undefined;
  return {
    session,
    cancel: async (pid) => {
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    },
    release: () =>
      (released ??= (async () => {
        try {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]);
          manager.releaseConnection(client);
        } catch {
          // The connection broke: the server dropped the lock with the session. Discard the connection.
          await closeAndRelease(manager, client);
        }
      })()),
  };
}

/** What the lock needs of Sequelize's (public) connection manager. */
interface Manager {
  getConnection(options: { type: 'write'; useMaster: boolean }): Promise<unknown>;
  releaseConnection(connection: unknown): void;
}

/** Closes a broken connection (pg's public `end()`) and hands it back: the pool's validation drops a closed connection. */
async function closeAndRelease(manager: Manager, client: PgClient): Promise<void> {
  await client.end().catch(() => undefined);
  manager.releaseConnection(client);
}

/** After a failed or aborted wait: make sure a lock the last try may have taken is not left behind. */
async function discard(manager: Manager, client: PgClient): Promise<void> {
  try {
    await client.query('SELECT pg_advisory_unlock_all()');
  } catch {
    await closeAndRelease(manager, client);
  }
}
