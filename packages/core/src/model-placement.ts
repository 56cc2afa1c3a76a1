import { getAssociations, getOptions } from 'sequelize-typescript';
import type { AppRegistry } from './app-registry';
import { usesBuiltinTypesOnly } from './builtin-types';
import { ModelNotOnDatabaseError } from './errors';
import type { ModelMeta } from './router';

interface Placement {
  readonly metas: ModelMeta[];
  readonly set: ReadonlySet<Function>;
  builtin: boolean | undefined;
}

/**
 * Which models each database alias registers, and under which Sequelize model name.
 *
 * An alias registers the models of the apps `allowMigrate` allows there (asked with empty hints;
 * an app a router cannot decide without hints is registered), plus the models those reach through
 * associations. A model keeps its own name (the class name or `@Table({ modelName })`), or becomes
 * `app_Model` when two registered apps use the same name.
 */
export class ModelPlacement {
  readonly #apps: AppRegistry;
  readonly #allowMigrate: (db: string, appLabel: string) => boolean;
  readonly #names = new Map<Function, string>();
  readonly #byAlias = new Map<string, Placement>();
  readonly #byApps = new Map<string, Placement>();
  readonly #closures = new Map<Function, ModelMeta[]>();

  constructor(apps: AppRegistry, allowMigrate: (db: string, appLabel: string) => boolean) {
    this.#apps = apps;
    this.#allowMigrate = allowMigrate;
    const metas = apps.models();
    const declared = (meta: ModelMeta) => (getOptions(meta.model.prototype)?.modelName as string | undefined) ?? meta.model.name;
    const count = new Map<string, number>();
    for (const meta of metas) count.set(declared(meta), (count.get(declared(meta)) ?? 0) + 1);
    for (const meta of metas) {
      const name = declared(meta);
      this.#names.set(meta.model, count.get(name)! > 1 ? `${meta.appLabel}_${name}` : name);
    }
  }

  /** The Sequelize model name of a registered model class. */
  modelName(model: Function): string {
    return this.#names.get(model) ?? this.#apps.meta(model).modelName;
  }

  /** The models registered on `alias`, in registration order. */
  modelsFor(alias: string): ModelMeta[] {
    return this.#placement(alias).metas;
  }

  /** Whether every model `alias` may register has built-in PostgreSQL types only (its type map can be shared). */
  builtinTypesOnly(alias: string): boolean {
    const placement = this.#placement(alias);
    return (placement.builtin ??= usesBuiltinTypesOnly(placement.metas));
  }

  /** Whether `alias` registers `meta`'s model. */
  allows(alias: string, meta: ModelMeta): boolean {
    return this.#placement(alias).set.has(meta.model);
  }

  /** The error for a model asked for on an alias that does not register it. */
  notHere(alias: string, meta: ModelMeta): ModelNotOnDatabaseError {
    return new ModelNotOnDatabaseError(alias, meta.label, meta.appLabel);
  }

  /** `model` and the registered models it reaches through associations (what registering it needs), in registration order. */
  closureOf(model: Function): ModelMeta[] {
    let closure = this.#closures.get(model);
    if (closure === undefined) {
      closure = this.#closure([], [model]).metas;
      this.#closures.set(model, closure);
    }
    return closure;
  }

  /** Throws {@link notHere} for `model` on `alias`. */
  fail(alias: string, model: Function): never {
    throw this.notHere(alias, this.#apps.meta(model));
  }

  #placement(alias: string): Placement {
    let placement = this.#byAlias.get(alias);
    if (placement !== undefined) return placement;
    const labels = this.#apps.apps().filter((app) => this.#allows(alias, app.label)).map((app) => app.label);
    const key = labels.join('\0');
    placement = this.#byApps.get(key);
    if (placement === undefined) {
      placement = this.#closure(labels);
      this.#byApps.set(key, placement);
    }
    this.#byAlias.set(alias, placement);
    return placement;
  }

  #allows(alias: string, appLabel: string): boolean {
    try {
      return this.#allowMigrate(alias, appLabel);
    } catch {
      return true; // a router that cannot answer without hints: the app may live here
    }
  }

  #closure(labels: string[], roots: Function[] = []): Placement {
    const set = new Set<Function>();
    const visit = (model: Function) => {
      if (set.has(model) || this.#apps.find(model) === undefined) return;
      set.add(model);
      for (const association of getAssociations(model.prototype) ?? []) {
        visit(association.getAssociatedClass() as Function);
        const through = (association as unknown as { options?: { through?: unknown } }).options?.through;
        const getter = typeof through === 'object' && through !== null ? (through as { model?: unknown }).model : through;
        if (typeof getter === 'function' && !('prototype' in getter && (getter as any).prototype?.save)) visit((getter as () => Function)());
      }
    };
    for (const label of labels) for (const model of this.#apps.app(label)!.models) visit(model);
    for (const model of roots) visit(model);
    return { metas: this.#apps.models().filter((m) => set.has(m.model)), set, builtin: undefined };
  }
}
