import { QueryTypes, Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { LockSession } from '../dialect-adapter';
import { pollLock } from '../lock-polling';
import { quoteIdentifier } from './postgres-identifiers';
import { ADVISORY_LOCK_ROWS } from './postgres-lock-key';
import { fenceKey, runLockKey } from './postgres-migration-lock';

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
    `SELECT EXISTS (SELECT 1 ${ADVISORY_LOCK_ROWS.replace('$1', '$key')} AND l.pid = $pid AND a.backend_start = $start::timestamptz) AS held, ` +
      `EXISTS (SELECT 1 FROM ${quoteIdentifier(table)} WHERE name = $name) AS recorded`,
    { bind: { key: runLockKey(key), pid: session.pid, start: session.backendStart, name }, type: QueryTypes.SELECT, plain: true, transaction: transaction ?? (null as any) },
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
    `SELECT EXISTS (SELECT 1 ${ADVISORY_LOCK_ROWS.replace('$1', '$key')} AND l.pid = $pid AND a.backend_start = $start::timestamptz) AS held`,
    { bind: { key: runLockKey(key), pid: session.pid, start: session.backendStart }, type: QueryTypes.SELECT, plain: true, transaction: transaction ?? (null as any) },
  );
  return row?.held === true;
}
