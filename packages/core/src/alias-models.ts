import type { Model, ModelStatic } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { baseModel } from './instance-state';
import type { ModelPlacement } from './model-placement';
import { guardAccessors, type RepositoryHost } from './repository';
import type { ModelMeta } from './router';
import { resolveScopeIncludes } from './scope-includes';

const REPOSITORIES = Symbol('fbs.repositories');

interface AliasState {
  readonly repositories: Map<Function, ModelStatic<Model>>;
  complete: boolean;
}

const stateOf = (sequelize: Sequelize): AliasState => (sequelize as unknown as { [REPOSITORIES]: AliasState })[REPOSITORIES];

/** Gives a new alias Sequelize its (empty) model state. */
export function initAliasModels(sequelize: Sequelize): void {
  Object.defineProperty(sequelize, REPOSITORIES, { value: { repositories: new Map(), complete: false } satisfies AliasState });
}

/**
 * The models registered on one alias's Sequelize: each is added on its first use there (with what
 * it reaches through associations), so opening an alias costs only what it serves. `all()` adds
 * every model the alias may hold (for `connection(alias)`, `sync()` and migrations).
 */
export class AliasModels {
  readonly #placement: ModelPlacement;
  readonly #host: RepositoryHost;
  readonly #repository: (alias: string, model: Function) => ModelStatic<Model>;

  constructor(placement: ModelPlacement, host: RepositoryHost, repository: (alias: string, model: Function) => ModelStatic<Model>) {
    this.#placement = placement;
    this.#host = host;
    this.#repository = repository;
  }

  /** The repository of `base` on `alias`, registering it on first use. */
  repository(alias: string, sequelize: Sequelize, base: Function): ModelStatic<Model> {
    return stateOf(sequelize).repositories.get(base) ?? this.#register(alias, sequelize, this.#placement.closureOf(base), base)!;
  }

  /** Registers every model `alias` may hold. */
  all(alias: string, sequelize: Sequelize): void {
    const state = stateOf(sequelize);
    if (state.complete) return;
    this.#register(alias, sequelize, this.#placement.modelsFor(alias));
    state.complete = true;
  }

  #register(alias: string, sequelize: Sequelize, metas: readonly ModelMeta[], want?: Function): ModelStatic<Model> | undefined {
    if (want !== undefined) {
      const meta = metas.find((m) => m.model === want)!;
      if (!this.#placement.allows(alias, meta)) throw this.#placement.notHere(alias, meta);
    }
    const { repositories } = stateOf(sequelize);
    const fresh = metas.filter((m) => !repositories.has(m.model) && this.#placement.allows(alias, m));
    if (fresh.length > 0) {
      sequelize.addModels(fresh.map((m) => m.model as any));
      for (const meta of fresh) {
        const repository = sequelize.getRepository(meta.model as any) as unknown as ModelStatic<Model>;
        guardAccessors(repository, this.#host);
        repositories.set(meta.model, repository);
      }
      // The alias may not be cached yet while it is being built: look up its own repositories directly.
      const local = (a: string, m: Function) => (a === alias ? (repositories.get(baseModel(m)) ?? this.#placement.fail(alias, m)) : this.#repository(a, m));
      for (const meta of fresh) resolveScopeIncludes(repositories.get(meta.model)!, alias, local, meta.label);
    }
    return want === undefined ? undefined : repositories.get(want);
  }
}
