import type { NormalizedDatabaseConfig } from '@fbs/core';
import { Sequelize } from 'sequelize-typescript';
import type { DialectAdapter } from '@fbs/core/dialect';

/** A one-connection Sequelize whose every statement runs on the same server session. */
export interface FencedSession {
  readonly sequelize: Sequelize;
  /** Closes the connection (idempotent). */
  close(): Promise<void>;
}

/**
 * Opens the session a `transaction: false` migration runs on. It holds the migration's fence (a
 * session advisory lock), so nobody else can run that migration while a statement of it may still
 * run; a session that ends takes the fence *and* the migration's statements with it. The pool
 * never replaces the connection: once the session is gone, the next statement fails instead of
 * running unfenced on a new one.
 */
export function openFencedSession(alias: string, config: NormalizedDatabaseConfig, adapter: DialectAdapter, main: Sequelize): FencedSession {
  const sequelize = new Sequelize({
    ...(config as object),
    // Known from the alias's own Sequelize (it took the lock): no separate version-probe connection is opened.
    ...((main as any).options?.databaseVersion ? { databaseVersion: (main as any).options.databaseVersion } : {}),
    logging: config.logging ?? false,
    pool: { max: 1, min: 0, idle: 86_400_000, acquire: 60_000, evict: 86_400_000 },
  } as any);
  let connections = 0;
  sequelize.addHook('afterConnect', async (connection: any) => {
    connections += 1;
    if (connections > 1) {
      await connection.end?.().catch?.(() => undefined);
      throw new Error(
        `the session of database '${alias}' that ran this transaction: false migration ended (its fence went with it); ` +
          'no statement of it runs on another session. Check the database for partial changes before running again',
      );
    }
    await connection.query(adapter.sessionSetup);
  });
  let closed: Promise<void> | undefined;
  return { sequelize, close: () => (closed ??= sequelize.close().catch(() => undefined)) };
}
