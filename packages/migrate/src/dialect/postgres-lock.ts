import { createHash } from 'node:crypto';
import { QueryTypes, Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { pollLock } from '../lock-polling';
import type { LockBusy, LockRequest, LockSession, MigrationLock } from './dialect-adapter';

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

/** A positive 62-bit advisory lock key from a string, as a decimal string. */
export function advisoryKey(key: string): string {
  const digest = createHash('sha256').update(`fbs-migrate:${key}`).digest();
  return (digest.readBigUInt64BE(0) & 0x3fffffffffffffffn).toString();
}

/** The key of the per-migration fence of history table `key` (distinct from the run lock). */
export function fenceKey(key: string): string {
  return advisoryKey(`${key}:fence`);
}

/** The `pg_locks` rows of advisory lock `$1` (a bigint) in the current database. */
const LOCK_ROWS = `FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`;

/** Takes the run lock on a connection taken out of the pool, polling `pg_try_advisory_lock`. */
export async function takeLock(sequelize: Sequelize, key: string, request: LockRequest): Promise<MigrationLock | LockBusy> {
  // Sequelize's public connection manager: a connection taken out of the pool for the run's lifetime.
  const manager = sequelize.connectionManager as unknown as Manager;
  const client = (await manager.getConnection({ type: 'write', useMaster: true })) as PgClient;
  const lockKey = advisoryKey(key);
  let lock: MigrationLock | undefined;
  try {
    await client.query(SESSION_SETUP);
    let holder: string | undefined;
    const got = await pollLock(async () => (await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey])).rows[0].ok === true, {
      timeoutMs: request.wait ? request.timeoutMs : 0,
      signal: request.signal,
      onBusy: async () => {
        holder = await describeHolder(client, lockKey);
        if (request.wait && request.timeoutMs !== 0) request.onWait(holder);
      },
    });
    if (!got) return { busy: true, holder: (await describeHolder(client, lockKey)) ?? holder, timedOut: request.wait };
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

/** Who holds advisory lock `lockKey`: server pid, application_name, client address and since when (its last statement, the one that took the lock). */
export async function describeHolder(client: PgClient, lockKey: string): Promise<string | undefined> {
  const { rows } = await client.query(
    `SELECT a.pid, a.application_name, a.client_addr::text AS addr, to_char(a.state_change AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since, a.state ${LOCK_ROWS}`,
    [lockKey],
  );
  const row = rows[0];
  if (!row) return undefined;
  const parts = [`server pid ${row.pid}`];
  if (row.application_name) parts.push(`application_name '${row.application_name}'`);
  if (row.addr) parts.push(`from ${row.addr}`);
  if (row.since) parts.push(`${row.state === 'idle' ? 'holding it since' : 'busy since'} ${row.since}`);
  return parts.join(', ');
}

const CONNECTION_CHECK = new WeakMap<object, Promise<boolean>>();
const READ_COMMITTED_DEFAULT = new WeakMap<object, Promise<boolean>>();

/**
 * A migration's transaction must be READ COMMITTED (polling the fence keeps no snapshot, and the
 * history re-read sees what others committed). Sequelize sends `SET TRANSACTION ISOLATION LEVEL`
 * as a separate statement, so it is asked for only when neither Sequelize's `isolationLevel`
 * option nor the server's default already gives it.
 */
export async function transactionOptions(sequelize: Sequelize): Promise<{ isolationLevel?: Transaction.ISOLATION_LEVELS }> {
  const configured = (sequelize.options as { isolationLevel?: string }).isolationLevel;
  const explicit = { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED };
  if (configured !== undefined && configured !== null) return configured === explicit.isolationLevel ? {} : explicit;
  let check = READ_COMMITTED_DEFAULT.get(sequelize);
  if (check === undefined) {
    check = sequelize
      .query('SHOW default_transaction_isolation', { plain: true, transaction: null as any })
      .then((r: any) => String(r?.default_transaction_isolation).toLowerCase() === 'read committed');
    READ_COMMITTED_DEFAULT.set(sequelize, check);
  }
  return (await check) ? {} : explicit;
}

/**
 * Polls `pg_try_advisory_xact_lock` inside the migration's transaction (READ COMMITTED: no snapshot
 * is kept between tries), in the same statement as the session's pid and, on PostgreSQL 14+,
 * `client_connection_check_interval` (so a killed migrator's statement is aborted soon, instead of
 * holding its locks until it ends). Resolves to the server pid.
 */
export async function fenceTransaction(sequelize: Sequelize, key: string, transaction: Transaction, signal?: AbortSignal): Promise<number | undefined> {
  const fence = fenceKey(key);
  let check = CONNECTION_CHECK.get(sequelize);
  if (check === undefined) {
    check = sequelize.query('SHOW server_version_num', { plain: true, transaction }).then((r: any) => Number(r?.server_version_num) >= 140000);
    CONNECTION_CHECK.set(sequelize, check);
  }
  const setting = (await check) ? ", set_config('client_connection_check_interval', '1s', true) AS c" : '';
  let pid: number | undefined;
  await pollLock(async () => {
    const row = await sequelize.query<{ ok: boolean; pid: number }>(`SELECT pg_try_advisory_xact_lock(?::bigint) AS ok, pg_backend_pid() AS pid${setting}`, {
      replacements: [fence], type: QueryTypes.SELECT, plain: true, transaction,
    });
    pid = row?.pid;
    return row?.ok === true;
  }, { signal });
  return pid;
}

/** Under the fence, one statement: whether `session` still holds run lock `key`, and whether history `table` records `name`. */
export async function fenceCheck(sequelize: Sequelize, key: string, session: LockSession, table: string, name: string, transaction?: Transaction): Promise<{ held: boolean; recorded: boolean }> {
  const row = await sequelize.query<{ held: boolean; recorded: boolean }>(
    `SELECT EXISTS (SELECT 1 ${LOCK_ROWS.replace('$1', '$key')} AND l.pid = $pid AND a.backend_start = $start::timestamptz) AS held, ` +
      `EXISTS (SELECT 1 FROM "${table.replace(/"/g, '""')}" WHERE name = $name) AS recorded`,
    { bind: { key: advisoryKey(key), pid: session.pid, start: session.backendStart, name }, type: QueryTypes.SELECT, plain: true, transaction: transaction ?? (null as any) },
  );
  return { held: row?.held === true, recorded: row?.recorded === true };
}

/** Polls `pg_try_advisory_lock` on the one connection of a fenced Sequelize; resolves to the unlock. */
export async function fenceSession(sequelize: Sequelize, key: string, signal?: AbortSignal): Promise<() => Promise<void>> {
  const fence = fenceKey(key);
  const query = (sql: string) => sequelize.query<{ ok: boolean }>(sql, { replacements: [fence], type: QueryTypes.SELECT, plain: true });
  await pollLock(async () => (await query('SELECT pg_try_advisory_lock(?::bigint) AS ok'))?.ok === true, { signal });
  return async () => {
    await query('SELECT pg_advisory_unlock(?::bigint) AS ok');
  };
}

/** Whether `session` still holds run lock `key`, asked from another session. */
export async function lockHeld(sequelize: Sequelize, key: string, session: LockSession, transaction?: Transaction): Promise<boolean> {
  const row = await sequelize.query<{ held: boolean }>(
    `SELECT EXISTS (SELECT 1 ${LOCK_ROWS.replace('$1', '$key')} AND l.pid = $pid AND a.backend_start = $start::timestamptz) AS held`,
    { bind: { key: advisoryKey(key), pid: session.pid, start: session.backendStart }, type: QueryTypes.SELECT, plain: true, transaction: transaction ?? (null as any) },
  );
  return row?.held === true;
}
