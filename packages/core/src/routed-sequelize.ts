import createDebug from 'debug';
import { DataTypes, type Transaction } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { NormalizedDatabaseConfig } from './database-config';
import { CrossDatabaseError, DatabaseUnavailableError, isConnectionFailure } from './errors';
import { baseModel } from './instance-state';
import { Replication, replicaWriteError } from './replication';
import { createRepository, type RepositoryHost } from './repository';
import { builtinTypeMap, installTransactionNamespace, isFinished, overrideRepositoryFactory, seedTypeMap, transactionOwner, type BuiltinTypeMap } from './sequelize-internals';

const sqlLog = createDebug('fbs:sql');

/** What a database's Sequelize instance needs from its project. */
export interface SequelizeHost extends RepositoryHost {
  /** The transaction open on `alias` in the current async scope. */
  transaction(alias: string): Transaction | undefined;
  /** The outer transaction of `alias` (see `AliasAccess`): transactions opened without a parent nest in it. */
  outerTransaction?(alias: string): Transaction | undefined;
  /** Asked before every query and transaction on `alias`; throws to refuse it (see `AliasAccess`). */
  checkAccess?(alias: string, what: 'query' | 'transaction'): void;
  /** Runs `fn` with `transaction` as the open transaction of `alias`. */
  withTransaction<T>(alias: string, transaction: Transaction, fn: () => T): T;
  /** The live Sequelize of `alias` (to forward a call that reached a retired instance). */
  live(alias: string): Sequelize;
  /** The Sequelize model name of a registered model class. */
  modelName(model: Function): string;
  /** The server version learnt from an earlier connection to the same server (0: unknown). */
  serverVersion(config: NormalizedDatabaseConfig): string | 0;
  /** Remembers the version of the server behind `config`. */
  rememberVersion(config: NormalizedDatabaseConfig, version: string): void;
  /** The built-in type map learnt on the server behind `config`, when `alias` may use it (built-in types only). */
  typeMap(alias: string, config: NormalizedDatabaseConfig): BuiltinTypeMap | undefined;
  /** Remembers the built-in type map of the server behind `config`. */
  rememberTypeMap(config: NormalizedDatabaseConfig, map: BuiltinTypeMap): void;
  /** The project's read replicas. */
  readonly replication: Replication;
  /** The primary of a replica alias (undefined for any other alias). */
  primaryOf(alias: string): string | undefined;
}

const MODEL_WRITES = new Set(['INSERT', 'UPDATE', 'BULKUPDATE', 'BULKDELETE', 'DELETE', 'UPSERT']);

const RETIRED = Symbol('fbs.retired');
const ALIAS = Symbol('fbs.alias');

/** The alias a Sequelize instance made by the SDK serves (undefined for any other instance). */
export function sequelizeAlias(sequelize: unknown): string | undefined {
  return (sequelize as { [ALIAS]?: string } | null | undefined)?.[ALIAS];
}

/** Marks an instance as retired (evicted or closed): calls that still reach it go to the live one. */
export function retire(sequelize: Sequelize): void {
  (sequelize as any)[RETIRED] = true;
}

/** The refusal of a transaction that belongs to another database than `alias`. */
export function foreignTransactionError(alias: string, transaction: Transaction, what: string): CrossDatabaseError {
  const owner = sequelizeAlias(transactionOwner(transaction));
  return new CrossDatabaseError(
    `${what} is routed to database '${alias}' but was given a transaction of ` +
      `${owner === undefined ? 'a Sequelize instance the project does not manage' : `database '${owner}'`}; the query would run on that ` +
      `transaction's connection. Use project.transaction('${alias}', …) (or drop the option: routed calls join the open transaction of their database).`,
    [alias, owner ?? '(unmanaged)'],
  );
}

/** Whether `transaction` belongs to database `alias`. */
export function ownsTransaction(alias: string, transaction: Transaction): boolean {
  return sequelizeAlias(transactionOwner(transaction)) === alias;
}

/**
 * The Sequelize instance of one database alias, in repository mode (its models are added by the
 * project, on first use):
 * - queries join the transaction open on this alias in the current async scope (and no other
 *   alias's), never a finished one;
 * - a transaction of another database is refused on every path, raw ones included;
 * - calls that reach it after its pool was closed or evicted go to the alias's live instance;
 * - connection failures become `DatabaseUnavailableError` naming the alias;
 * - on an alias with replicas, reads outside a transaction may run on a replica and writes raise
 *   the context's read-your-writes mark ({@link Replication}); a replica alias refuses model writes.
 */
export function createRoutedSequelize(alias: string, config: NormalizedDatabaseConfig, address: string, host: SequelizeHost): Sequelize {
  const ambient = (): Transaction | undefined => {
    const transaction = host.transaction(alias);
    return transaction === undefined || isFinished(transaction) ? undefined : transaction;
  };
  const wrap = (error: unknown): never => {
    throw isConnectionFailure(error) ? new DatabaseUnavailableError(alias, address, error) : error;
  };
  const replicated = host.replication.has(alias);
  const primary = host.primaryOf(alias);
  class AliasSequelize extends Sequelize {
    override model(model: any): any {
      return super.model(typeof model === 'string' ? model : host.modelName(baseModel(model)));
    }

    override query(sql: any, options?: any): Promise<any> {
      if ((this as any)[RETIRED]) return host.live(alias).query(sql, options);
      try {
        host.checkAccess?.(alias, 'query');
      } catch (error) {
        return Promise.reject(error);
      }
      const given = options?.transaction;
      if (given === undefined) {
        const transaction = ambient();
        if (transaction !== undefined) options = { ...options, transaction };
      } else if (given !== null && given !== host.outerTransaction?.(alias) && !ownsTransaction(alias, given)) {
        return Promise.reject(foreignTransactionError(alias, given, 'A query'));
      }
      if (replicated) return this.#replicated(sql, options);
      if (primary !== undefined && MODEL_WRITES.has(options?.type)) return Promise.reject(replicaWriteError(alias, primary));
      return super.query(sql, options).then(undefined, wrap);
    }

    #replicated(sql: any, options: any): Promise<any> {
      const run = () => super.query(sql, options).then(undefined, wrap);
      const transaction = options?.transaction;
      if (transaction) {
        if (Replication.isWrite(options)) host.replication.inTransaction(alias, transaction);
        return run();
      }
      if (Replication.isReplicaRead(options)) return host.replication.read(alias, sql, options, run);
      return Replication.isWrite(options) ? host.replication.write(alias, run) : run();
    }

    override transaction(options?: any, autoCallback?: any): Promise<any> {
      if ((this as any)[RETIRED]) return host.live(alias).transaction(options, autoCallback);
      if (typeof options === 'function') [options, autoCallback] = [undefined, options];
      try {
        host.checkAccess?.(alias, 'transaction');
      } catch (error) {
        return Promise.reject(error);
      }
      const outer = host.outerTransaction?.(alias);
      if (outer !== undefined && options?.transaction === undefined) options = { ...options, transaction: outer };
      const parent = options?.transaction;
      if (parent && parent !== outer && !ownsTransaction(alias, parent)) return Promise.reject(foreignTransactionError(alias, parent, 'A nested transaction'));
      if (typeof autoCallback !== 'function') return super.transaction(options).then(undefined, wrap);
      // Managed transactions join the routed scope, so calls inside join them without { transaction }.
      return super.transaction(options, (t: Transaction) => host.withTransaction(alias, t, () => autoCallback(t))).then(undefined, wrap);
    }
  }
  installTransactionNamespace(AliasSequelize, { get: (key) => (key === 'transaction' ? ambient() : undefined), set: () => undefined });
  // Sequelize formats every statement when `logging` is a function: only pay for it when
  // `DEBUG=fbs:sql` is on (checked when the alias opens).
  const logging = config.logging !== undefined ? config.logging : sqlLog.enabled ? (sql: string) => sqlLog('%s %s', alias, sql) : false;
  const databaseVersion = (config as { databaseVersion?: string }).databaseVersion ?? host.serverVersion(config);
  const sequelize = new AliasSequelize({ ...config, logging, databaseVersion, repositoryMode: true } as any);
  Object.defineProperty(sequelize, ALIAS, { value: alias });
  overrideRepositoryFactory(sequelize, (modelClass) => createRepository(modelClass, alias, host.modelName(modelClass), host, primary ?? alias));
  if (!databaseVersion) {
    sequelize.addHook('afterConnect', () => {
      const version = (sequelize.options as { databaseVersion?: string | 0 }).databaseVersion;
      if (version) host.rememberVersion(config, version);
    });
  }
  if (config.dialect === 'postgres') {
    // The pg dialect loads type OIDs with a pg_type query on each instance's first connection; the
    // built-in ones are the same for every database of a server: learn them once, reuse them.
    const map = host.typeMap(alias, config);
    if (map !== undefined) sequelize.addHook('beforeConnect', () => seedTypeMap(sequelize, map, (DataTypes as any).postgres));
    else sequelize.addHook('afterConnect', () => {
      const learnt = builtinTypeMap(sequelize);
      if (learnt !== undefined) host.rememberTypeMap(config, learnt);
    });
  }
  return sequelize;
}
