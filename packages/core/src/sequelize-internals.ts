/**
 * The one module that touches the private parts of Sequelize v6 and sequelize-typescript v2.
 *
 * Everything else in the SDK uses their public API (model statics and instance methods, public
 * hooks, `Sequelize` options). Each function here says what it touches and why no public API does
 * the job; `test/core/seam.test.ts` fails if an upgrade of either library changes one of them.
 */
import type { Model, ModelStatic, Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/** A CLS-like namespace as Sequelize reads it: `get('transaction')`. */
export interface TransactionNamespace {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * Gives one Sequelize subclass its own transaction namespace.
 *
 * Touches `Sequelize._cls`. Model methods read `this.sequelize.constructor._cls.get('transaction')`
 * to join the ambient transaction; the public `Sequelize.useCLS()` sets it on the base class, for
 * every database at once, so a transaction of one database would leak into queries of another.
 * A static on the per-alias subclass scopes it to that alias.
 */
export function installTransactionNamespace(subclass: Function, namespace: TransactionNamespace): void {
  Object.defineProperty(subclass, '_cls', { value: namespace, configurable: true, writable: true });
}

/**
 * Makes sequelize-typescript build repository classes with `factory` for this instance.
 *
 * Touches `Sequelize#createRepositoryModel` (declared private). In repository mode it is the one
 * place where the per-database class of a model is made; it has no public option.
 */
export function overrideRepositoryFactory(sequelize: Sequelize, factory: (modelClass: ModelStatic<Model>) => ModelStatic<Model>): void {
  (sequelize as unknown as { createRepositoryModel: unknown }).createRepositoryModel = factory;
}

/**
 * The Sequelize instance a transaction runs on.
 *
 * Touches `Transaction#sequelize`: set by the constructor, absent from the typings. The SDK reads
 * it to refuse a transaction of another database before any SQL runs.
 */
export function transactionOwner(transaction: Transaction): unknown {
  return (transaction as unknown as { sequelize?: unknown }).sequelize;
}

/**
 * Whether a transaction has committed or rolled back.
 *
 * Touches `Transaction#finished` ('commit' | 'rollback', absent from the typings). A finished
 * transaction must no longer be joined by work that outlives it (timers, listeners).
 */
export function isFinished(transaction: Transaction): boolean {
  return (transaction as unknown as { finished?: string }).finished !== undefined;
}

interface PoolLike {
  size: number;
  using: number;
  waiting: number;
}

/**
 * The pools of a Sequelize instance (one, or read + write with replication).
 *
 * Touches `sequelize.connectionManager.pool` (sequelize-pool): Sequelize exposes no pool
 * statistics, and idle detection / eviction need `size`, `using` and `waiting`.
 */
export function poolsOf(sequelize: Sequelize | undefined): PoolLike[] {
  const pool = (sequelize as unknown as { connectionManager?: { pool?: any } } | undefined)?.connectionManager?.pool;
  if (!pool) return [];
  return 'read' in pool && 'write' in pool ? [pool.read, pool.write] : [pool];
}

/**
 * The models of a Sequelize instance, ordered so that a table comes after the tables it references.
 *
 * Touches `sequelize.modelManager.getModelsTopoSortedByForeignKey()`: `sequelize.sync()` uses it,
 * but syncs every model; `project.sync()` syncs only the models allowed on each database.
 */
export function modelsInDependencyOrder(sequelize: Sequelize): ModelStatic<Model>[] {
  const manager = (sequelize as unknown as { modelManager: { getModelsTopoSortedByForeignKey(): ModelStatic<Model>[] | null; models: ModelStatic<Model>[] } }).modelManager;
  const dependentsFirst = manager.getModelsTopoSortedByForeignKey();
  return dependentsFirst === null ? [...manager.models] : [...dependentsFirst].reverse();
}

interface InstanceInternals {
  dataValues: Record<string, unknown>;
  _previousDataValues: Record<string, unknown>;
  _changed: Set<string>;
  isNewRecord: boolean;
}

/**
 * Copies the attribute values and change tracking of one instance onto another (of another
 * database's class of the same model): the SDK runs an instance operation on the database the
 * router chose through such a twin, then copies the outcome back onto the user's object.
 *
 * Touches `_previousDataValues` and `_changed`: public `set()` / `changed()` cannot reset the
 * previous values, so without them the user's object would report stale changes after a save.
 */
export function copyInstanceState(from: Model, to: Model, attributes: readonly string[]): void {
  const source = from as unknown as InstanceInternals;
  const target = to as unknown as InstanceInternals;
  for (const key of attributes) {
    if (Object.prototype.hasOwnProperty.call(source.dataValues, key)) target.dataValues[key] = source.dataValues[key];
    if (Object.prototype.hasOwnProperty.call(source._previousDataValues, key)) target._previousDataValues[key] = source._previousDataValues[key];
    else delete target._previousDataValues[key];
  }
  target._changed = new Set(source._changed);
  target.isNewRecord = source.isNewRecord;
}

/** The built-in part of a server's type OID map (the same in every database of that server). */
export interface BuiltinTypeMap {
  readonly nameOidMap: Readonly<Record<string, { oid: number; arrayOid?: number; rangeOid?: number; arrayRangeOid?: number }>>;
}

/** PostgreSQL's FirstNormalObjectId: OIDs below it are built in, identical in every database. */
const FIRST_NORMAL_OID = 16384;

/**
 * The built-in types of the OID map the pg dialect loaded on this instance's first connection, or
 * undefined before that.
 *
 * Touches `connectionManager.nameOidMap` (postgres dialect): Sequelize loads it with a `pg_type`
 * query on every new instance's first connection, and has no option to share it.
 */
export function builtinTypeMap(sequelize: Sequelize): BuiltinTypeMap | undefined {
  const map = (sequelize as unknown as { connectionManager: { nameOidMap?: BuiltinTypeMap['nameOidMap'] } }).connectionManager.nameOidMap;
  if (!map || Object.keys(map).length === 0) return undefined;
  const builtin = Object.fromEntries(Object.entries(map).filter(([, entry]) => entry.oid < FIRST_NORMAL_OID));
  return { nameOidMap: Object.freeze(builtin) };
}

/**
 * Gives a new instance a built-in type map learnt from another instance on the same server, so its
 * first connection skips the `pg_type` query. Only for instances whose models use built-in types
 * alone: enums and extension types (hstore, citext, PostGIS) have per-database OIDs.
 *
 * Touches `connectionManager.nameOidMap` and `connectionManager.refreshTypeParser` (postgres
 * dialect): the same two steps `_refreshDynamicOIDs` ends with.
 */
export function seedTypeMap(sequelize: Sequelize, map: BuiltinTypeMap, postgresTypes: unknown): void {
  const manager = (sequelize as unknown as { connectionManager: { nameOidMap: object; refreshTypeParser(types: unknown): void } }).connectionManager;
  if (Object.keys(manager.nameOidMap).length > 0) return;
  manager.nameOidMap = { ...map.nameOidMap };
  manager.refreshTypeParser(postgresTypes);
}

/**
 * Marks a pg connection so the pool drops it instead of handing it out again.
 *
 * Touches `connection._invalid`, the flag Sequelize's postgres connection manager checks in
 * `validate()`; Sequelize sets it only for "Connection terminated", not for a session the server
 * ended (57P01) — without it the next query fails on the same dead session.
 */
export function invalidateConnection(connection: unknown): void {
  (connection as { _invalid?: boolean })._invalid = true;
}

/**
 * The SQL text of a query, as the public `afterQuery` hook receives it.
 *
 * Touches `query.sql`, which the dialect's `Query.run(sql)` sets before it executes. The hook is
 * public and typed, but its `AbstractQuery` typings expose no SQL; the `logging` option sees it
 * only as a formatted message, per query. Used to preview a migration's SQL (`plan --sql`).
 */
export function querySql(query: unknown): string | undefined {
  const sql = (query as { sql?: unknown } | null)?.sql;
  return typeof sql === 'string' ? sql : undefined;
}
