import { ConfigurationError } from '@fbs/core';
import type { DatabaseRouter, MigrateHints, ModelMeta, RoutingHints } from '@fbs/core';
import { DEFAULT_DATABASE_TEMPLATES, SolutionNaming, type DatabaseTemplates } from './naming';

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

  allowMigrate(db: string, appLabel: string, _hints?: MigrateHints): boolean | null {
    const kind = this.#apps.get(appLabel);
    if (kind === undefined) return this.#naming.parse(db) ? false : null;
    return this.#naming.parse(db)?.kind === kind;
  }

  #pick(model: ModelMeta, hints: RoutingHints): string | null {
    const kind = this.#apps.get(model.appLabel);
    if (kind === undefined || typeof hints.solution !== 'string') return null;
    return this.#naming.database(kind, hints.solution);
  }
}
