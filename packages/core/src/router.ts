import type { Model, ModelStatic } from 'sequelize';

/** What a router knows about a model: its app, its name and the class itself. */
export interface ModelMeta {
  /** The app the model is registered under, e.g. `fbs_license_manager`. */
  readonly appLabel: string;
  /** The class name, e.g. `SolutionLicense`. */
  readonly modelName: string;
  /** `appLabel.modelName`, unique across the project. */
  readonly label: string;
  /** The model class as the app declared it. */
  readonly model: ModelStatic<Model>;
}

/**
 * Hints are an open object. The SDK fills in `instance` (saving, reloading or destroying an
 * object), `modelName`, and the ambient hints of `withHints` / `withSolution`, e.g.
 * `{ database: 'djo_acme_corp_db', solution: 'acme_corp' }`.
 */
export interface RoutingHints {
  /** The object being saved, reloaded, destroyed or related. */
  readonly instance?: Model;
  /** The database `instance` belongs to (`project.dbOf(instance)`), given with `instance`; undefined while unsaved. */
  readonly instanceDb?: string;
  /** The solution of the current `withSolution` scope. */
  readonly solution?: string;
  /** The database the current scope asks for (the seed's `hints['database']`). */
  readonly database?: string;
  readonly [key: string]: unknown;
}

/** Hints given to `allowMigrate`: `modelName` when a migration is about one model, plus the migration's own hints. */
export interface MigrateHints {
  readonly modelName?: string;
  readonly [key: string]: unknown;
}

/** A router's answer: an alias, or `null`/`undefined` for "no opinion, ask the next router". */
export type RouteAnswer = string | null | undefined;

/**
 * A database router, as in Django. Implement any subset of the methods; a missing method or a
 * `null`/`undefined` answer means "no opinion". Routers are synchronous and free of side effects.
 *
 * @example
 * ```ts
 * const licensingRouter: DatabaseRouter = {
 *   dbForRead: (m) => (m.appLabel === 'fbs_license_manager' ? 'licensing' : null),
 *   dbForWrite: (m) => (m.appLabel === 'fbs_license_manager' ? 'licensing' : null),
 *   allowMigrate: (db, app) => (app === 'fbs_license_manager' ? db === 'licensing' : null),
 * };
 * ```
 */
export interface DatabaseRouter {
  dbForRead?(model: ModelMeta, hints: RoutingHints): RouteAnswer;
  dbForWrite?(model: ModelMeta, hints: RoutingHints): RouteAnswer;
  allowRelation?(a: Model, b: Model, hints: RoutingHints): boolean | null | undefined;
  allowMigrate?(db: string, appLabel: string, hints: MigrateHints): boolean | null | undefined;
  /**
   * Optional: whether this router's `dbForRead` / `dbForWrite` answer for `model` depends on the
   * model alone, never on hints. When every router up to the one that answers says so, the chain
   * computes the route once per model instead of on every call.
   */
  hintFree?(model: ModelMeta, kind: 'read' | 'write'): boolean;
}
