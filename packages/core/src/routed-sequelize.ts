import createDebug from 'debug';
import { ConnectionError, type Transaction } from 'sequelize';
import { Sequelize } from 'sequelize-typescript';
import type { NormalizedDatabaseConfig } from './database-config';
import { DatabaseUnavailableError } from './errors';
import { baseModel, createRepository, type RepositoryHost } from './repository';
import type { ModelMeta } from './router';

const sqlLog = createDebug('fbs:sql');

/** What a database's Sequelize instance needs from its project. */
export interface SequelizeHost extends RepositoryHost {
  /** The transaction open on `alias` in the current async scope. */
  transaction(alias: string): Transaction | undefined;
  /** The live Sequelize of `alias` (to forward a query that reached a retired instance). */
  live(alias: string): Sequelize;
}

const RETIRED = Symbol('fbs.retired');
const ALIAS = Symbol('fbs.alias');

/** The alias a Sequelize instance made by the SDK serves (undefined for any other instance). */
export function sequelizeAlias(sequelize: unknown): string | undefined {
  return (sequelize as { [ALIAS]?: string } | null | undefined)?.[ALIAS];
}

/** Marks an instance as retired (evicted or closed): queries that still reach it go to the live one. */
export function retire(sequelize: Sequelize): void {
  (sequelize as any)[RETIRED] = true;
}

/**
 * Builds the Sequelize instance of one database alias: repository mode, every registered model
 * (namespaced by app), the ambient transaction of the alias joined by every query, connection errors
 * re-raised naming the alias (never the password), SQL logged through `debug` (`DEBUG=fbs:sql`).
 */
export function createRoutedSequelize(
  alias: string,
  config: NormalizedDatabaseConfig,
  address: string,
  models: readonly ModelMeta[],
  host: SequelizeHost,
): Sequelize {
  // Sequelize's model methods read `this.sequelize.constructor._cls.get('transaction')`; a
  // per-alias namespace makes them join this alias's transaction only (no cross-database leak).
  const namespace = {
    get: (key: string) => (key === 'transaction' ? host.transaction(alias) : undefined),
    set: () => undefined,
  };
  class AliasSequelize extends Sequelize {
    static _cls = namespace;

    override model(model: any): any {
      if (typeof model === 'string') return super.model(model);
      return super.model(host.meta(baseModel(model)).label);
    }

    override async query(sql: any, options?: any): Promise<any> {
      if ((this as any)[RETIRED]) return host.live(alias).query(sql, options);
      if (options === undefined || options.transaction === undefined) {
        const transaction = host.transaction(alias);
        if (transaction !== undefined) options = { ...options, transaction };
      }
      try {
        return await super.query(sql, options);
      } catch (error) {
        throw error instanceof ConnectionError ? new DatabaseUnavailableError(alias, address, error) : error;
      }
    }
  }
  // sequelize-typescript declares createRepositoryModel private: replace it on the prototype.
  (AliasSequelize.prototype as any).createRepositoryModel = (modelClass: any) => createRepository(modelClass, alias, host);
  // Sequelize formats every statement when `logging` is a function: only pay for it when
  // `DEBUG=fbs:sql` is on (checked when the alias opens).
  const logging =
    config.logging !== undefined ? config.logging : sqlLog.enabled ? (sql: string) => sqlLog('%s %s', alias, sql) : false;
  const sequelize = new AliasSequelize({ ...config, logging, repositoryMode: true } as any);
  Object.defineProperty(sequelize, ALIAS, { value: alias });
  sequelize.addModels(models.map((m) => m.model as any));
  return sequelize;
}
