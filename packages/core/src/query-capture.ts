import type { QueryOptions, Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { querySql } from './sequelize-internals';

let hooks = 0;

/**
 * Calls `onQuery(sql)` for every statement run in `transaction` on `sequelize` (through the public
 * `afterQuery` hook; statements of other transactions and connections are ignored), in the order
 * they ran, including one that failed. Returns `stop()`, which removes the hook.
 *
 * @example
 * ```ts
 * const sql: string[] = [];
 * const stop = captureQueries(sequelize, transaction, (s) => sql.push(s));
 * try { await migration.up(context) } finally { stop() }
 * ```
 */
export function captureQueries(sequelize: Sequelize, transaction: Transaction, onQuery: (sql: string) => void): () => void {
  const name = `fbs-capture-${++hooks}`;
  sequelize.addHook('afterQuery', name, (options: QueryOptions, query: unknown) => {
    if (options.transaction !== transaction) return;
    const sql = querySql(query);
    if (sql !== undefined) onQuery(sql);
  });
  return () => void sequelize.removeHook('afterQuery', name);
}
