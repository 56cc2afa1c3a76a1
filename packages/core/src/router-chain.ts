import type { Model } from 'sequelize';
import { ConfigurationError } from './errors';
import type { DatabaseRouter, MigrateHints, ModelMeta, RoutingHints } from './router';

type RouteMethod = 'dbForRead' | 'dbForWrite';

/** The alias every decision falls back to when no router has an opinion. */
export const DEFAULT_DB = 'default';

/**
 * Walks the routers in order; the first answer wins (Django's `ConnectionRouter`).
 * Fallbacks: for reads and writes the database of `hints.instance`, then `default`; for relations
 * "same database" (two unsaved objects are allowed); for migrations `true`.
 */
export class RouterChain {
  readonly routers: readonly DatabaseRouter[];
  readonly #readers: DatabaseRouter[];
  readonly #writers: DatabaseRouter[];
  readonly #relaters: DatabaseRouter[];
  readonly #migraters: DatabaseRouter[];
  readonly #instanceDb: (instance: Model) => string | undefined;

  constructor(routers: readonly DatabaseRouter[], instanceDb: (instance: Model) => string | undefined) {
    routers.forEach((router, i) => {
      if (router === null || typeof router !== 'object') {
        throw new ConfigurationError(
          `routers[${i}] is ${router === null ? 'null' : typeof router}; a router is an object or class instance with dbForRead/dbForWrite/allowRelation/allowMigrate methods.`,
        );
      }
    });
    this.routers = Object.freeze([...routers]);
    const having = (m: keyof DatabaseRouter) => routers.filter((r) => typeof r[m] === 'function');
    this.#readers = having('dbForRead');
    this.#writers = having('dbForWrite');
    this.#relaters = having('allowRelation');
    this.#migraters = having('allowMigrate');
    this.#instanceDb = instanceDb;
  }

  /** The database reads of `model` go to (not yet checked against the configured aliases). */
  dbForRead(model: ModelMeta, hints: RoutingHints): string {
    return this.#route(this.#readers, 'dbForRead', model, hints);
  }

  /** The database writes of `model` go to (not yet checked against the configured aliases). */
  dbForWrite(model: ModelMeta, hints: RoutingHints): string {
    return this.#route(this.#writers, 'dbForWrite', model, hints);
  }

  /**
   * The route of `model` when it cannot depend on hints (every router up to the answering one is
   * `hintFree` for it), else undefined. Calls with `hints.instance` still route per call.
   */
  staticRoute(kind: 'read' | 'write', model: ModelMeta): string | undefined {
    const method = kind === 'read' ? 'dbForRead' : 'dbForWrite';
    for (const router of kind === 'read' ? this.#readers : this.#writers) {
      if (typeof router.hintFree !== 'function' || !router.hintFree(model, kind)) return undefined;
      const answer = router[method]!(model, NO_HINTS);
      if (answer !== null && answer !== undefined) return this.#checked(router, method, model, answer);
    }
    return DEFAULT_DB;
  }

  /** Whether `a` and `b` may be related. */
  allowRelation(a: Model, b: Model, hints: RoutingHints): boolean {
    const answer = this.askRelation(a, b, hints);
    if (answer !== undefined) return answer;
    if (a.isNewRecord && b.isNewRecord) return true;
    return this.#instanceDb(a) === this.#instanceDb(b);
  }

  /** The first router's answer on relating `a` and `b`, or undefined when no router has an opinion. */
  askRelation(a: Model, b: Model, hints: RoutingHints): boolean | undefined {
    for (const router of this.#relaters) {
      const answer = router.allowRelation!(a, b, hints);
      if (answer !== null && answer !== undefined) return Boolean(answer);
    }
    return undefined;
  }

  /** Whether migrations of `appLabel` may run on database `db`. */
  allowMigrate(db: string, appLabel: string, hints: MigrateHints = {}): boolean {
    for (const router of this.#migraters) {
      const answer = router.allowMigrate!(db, appLabel, hints);
      if (answer !== null && answer !== undefined) return Boolean(answer);
    }
    return true;
  }

  #checked(router: DatabaseRouter, method: RouteMethod, model: ModelMeta, answer: unknown): string {
    if (typeof answer === 'string') return answer;
    throw new ConfigurationError(
      `${describeRouter(router)}.${method}(${model.label}) returned ${JSON.stringify(answer)}; ` +
        `return a database alias (string), or null/undefined for "no opinion".`,
    );
  }

  #route(routers: DatabaseRouter[], method: RouteMethod, model: ModelMeta, hints: RoutingHints): string {
    for (let i = 0; i < routers.length; i++) {
      const answer = routers[i]![method]!(model, hints);
      if (answer !== null && answer !== undefined) return this.#checked(routers[i]!, method, model, answer);
    }
    const instance = hints.instance;
    if (instance !== undefined) {
      const db = this.#instanceDb(instance);
      if (db !== undefined) return db;
    }
    return DEFAULT_DB;
  }
}

const NO_HINTS: RoutingHints = Object.freeze({});

function describeRouter(router: DatabaseRouter): string {
  const name = (router as object).constructor?.name;
  return name && name !== 'Object' ? name : 'router';
}
