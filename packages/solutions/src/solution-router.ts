import { ConfigurationError } from '@fbs/core';
import type { DatabaseRouter, MigrateHints, ModelMeta, RoutingHints } from '@fbs/core';
import { CrossSolutionError, InvalidSolutionNameError } from './errors';
import { DEFAULT_DATABASE_TEMPLATES, SolutionNaming, type DatabaseTemplates } from './naming';
import { RESERVED_SOLUTION_PREFIXES } from './solution-name';

/** What `new SolutionRouter(config)` takes. */
export interface SolutionRouterConfig {
  /** App label → database kind its models live in, e.g. `{ solution_prefs: 'djo', erp: 'fbs' }`. */
  readonly apps: Readonly<Record<string, string>>;
  /** The manager's name templates (default `{ djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' }`). */
  readonly databases?: DatabaseTemplates;
}

/**
 * Routes solution apps to the right one of a solution's databases: inside `withSolution(name)`
 * (`hints.solution`), a model of an app mapped to kind `fbs` goes to `fbs_{name}_db`; its
 * migrations are allowed on databases of that kind only (templates included). Other apps get no opinion.
 *
 * A loaded instance stays in its solution: saving, reloading or destroying an instance of solution
 * B inside `withSolution('A')` throws {@link CrossSolutionError} (copying a row into another
 * solution takes an explicit `project.using(alias, Model)`). A reserved solution hint
 * (`template…`, `pg_…`) throws {@link InvalidSolutionNameError}: the template databases are not a tenant.
 *
 * @example
 * ```ts
 * createProject({
 *   routers: [new AppLabelRouter({ fbs_app: 'default' }), new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })],
 *   ...
 * });
 * ```
 */
export class SolutionRouter implements DatabaseRouter {
  readonly #apps: ReadonlyMap<string, string>;
  readonly #naming: SolutionNaming;

  constructor(config: SolutionRouterConfig) {
    this.#naming = new SolutionNaming(config.databases ?? DEFAULT_DATABASE_TEMPLATES);
    for (const [app, kind] of Object.entries(config.apps ?? {})) {
      if (!this.#naming.kinds.includes(kind)) {
        throw new ConfigurationError(`SolutionRouter: app '${app}' maps to unknown kind '${kind}'. Kinds: ${this.#naming.kinds.map((k) => `'${k}'`).join(', ')}.`);
      }
    }
    this.#apps = new Map(Object.entries(config.apps ?? {}));
  }

  dbForRead(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#pick(model, hints);
  }

  dbForWrite(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#pick(model, hints);
  }

  /** Apps it does not map never depend on hints. */
  hintFree(model: ModelMeta): boolean {
    return !this.#apps.has(model.appLabel);
  }

  allowMigrate(db: string, appLabel: string, _hints?: MigrateHints): boolean | null {
    const kind = this.#apps.get(appLabel);
    if (kind === undefined) return this.#naming.parse(db) ? false : null;
    return this.#naming.parse(db)?.kind === kind;
  }

  #pick(model: ModelMeta, hints: RoutingHints): string | null {
    const kind = this.#apps.get(model.appLabel);
    const solution = hints.solution;
    if (kind === undefined || typeof solution !== 'string') return null;
    const reserved = RESERVED_SOLUTION_PREFIXES.find((prefix) => solution.startsWith(prefix));
    if (reserved) throw new InvalidSolutionNameError(solution, `names starting with '${reserved}' are reserved (the template databases are not a tenant); ${model.modelName} was not routed.`);
    const target = this.#naming.database(kind, solution);
    if (hints.instance !== undefined) {
      const database = instanceDatabase(hints);
      const owner = database === undefined ? undefined : this.#naming.parse(database)?.solution;
      if (owner !== undefined && owner !== solution) throw new CrossSolutionError(model.modelName, database!, owner, solution, target);
    }
    return target;
  }
}

/**
 * The database an instance of the hints belongs to: `hints.instanceDb` (what the project passes,
 * its `dbOf(instance)`) or else the database of the instance's Sequelize; undefined for an unsaved one.
 */
function instanceDatabase(hints: RoutingHints): string | undefined {
  const instance = hints.instance as { isNewRecord?: boolean; sequelize?: { config?: { database?: unknown } } } | undefined;
  if (instance === undefined || instance === null || instance.isNewRecord === true) return undefined;
  const given = (hints as { instanceDb?: unknown }).instanceDb;
  if (typeof given === 'string') return given;
  try {
    const database = instance.sequelize?.config?.database;
    return typeof database === 'string' ? database : undefined;
  } catch {
    return undefined; // a model class that is not bound to a database
  }
}
