import type { DialectAdapter } from '@fbs/core/dialect';
import type { Sequelize } from 'sequelize-typescript';
import { MigrationPoolerError } from './errors';

const CHECKED = new WeakMap<object, Promise<{ serverPid: number; processId: number } | undefined>>();

/**
 * Refuses to migrate `alias` through a connection pooler unless its config sets `migrationUrl`
 * (the user's word that this connection keeps its session): the dialect tells a pooler from the
 * server (PostgreSQL: the protocol's process id is not `pg_backend_pid()`). Once per Sequelize instance.
 */
export async function refusePooler(adapter: DialectAdapter, sequelize: Sequelize, alias: string, address: string, hasMigrationUrl: boolean): Promise<void> {
  if (hasMigrationUrl) return;
  let check = CHECKED.get(sequelize);
  if (check === undefined) {
    check = adapter.behindPooler(sequelize);
    CHECKED.set(sequelize, check);
    check.catch(() => CHECKED.delete(sequelize));
  }
  const pooled = await check;
  if (pooled) throw new MigrationPoolerError(alias, address, pooled.serverPid, pooled.processId);
}
