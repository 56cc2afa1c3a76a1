import type { AdminSession } from '../database-admin';
import { advisoryLockKey } from './postgres-lock-key';

const fn = (shared: boolean, action: 'lock' | 'try' | 'unlock') =>
  `pg_${action === 'try' ? 'try_' : ''}advisory_${action === 'unlock' ? 'unlock' : 'lock'}${shared ? '_shared' : ''}`;

/** Takes session advisory lock `name` (key: {@link advisoryLockKey}), waiting for it. Shared locks overlap each other. */
export async function lockSession(session: AdminSession, name: string, shared: boolean): Promise<void> {
  await session.query(`SELECT ${fn(shared, 'lock')}($1::bigint)`, [advisoryLockKey(name)]);
}

/** Takes session advisory lock `name` if it is free; resolves to whether it did. */
export async function tryLockSession(session: AdminSession, name: string, shared: boolean): Promise<boolean> {
  const [row] = await session.query<{ ok: boolean }>(`SELECT ${fn(shared, 'try')}($1::bigint) AS ok`, [advisoryLockKey(name)]);
  return row?.ok === true;
}

/** Releases session advisory lock `name`; resolves to whether this session held it. */
export async function unlockSession(session: AdminSession, name: string, shared: boolean): Promise<boolean> {
  const [row] = await session.query<{ ok: boolean }>(`SELECT ${fn(shared, 'unlock')}($1::bigint) AS ok`, [advisoryLockKey(name)]);
  return row?.ok === true;
}
