import { ConnectionError, type Model, type ModelStatic, type Transaction, type TransactionOptions } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { App, ModelClass } from './app';
import { AppRegistry } from './app-registry';
import { ConnectionManager } from './connection-manager';
import type { DatabaseConfig } from './database-config';
import { ConfigurationError, CrossDatabaseError, DatabaseUnavailableError, RelationNotAllowedError, UnknownDatabaseError } from './errors';
import { resolveIncludes } from './include-resolver';
import { guardAssociations } from './relation-guard';
import { baseModel, repositoryAlias, type InstanceMethod } from './repository';
import { createRoutedSequelize, sequelizeAlias } from './routed-sequelize';
import { RoutedModel, type RouteKind } from './routed-model';
import type { DatabaseRouter, ModelMeta, RoutingHints } from './router';
import { RouterChain } from './router-chain';
import { RoutingScope } from './routing-scope';

/** What `createProject` takes. Frozen once taken. */
export interface ProjectConfig {
  /** Database aliases → connection config (URL or Sequelize options). `default` is the fallback of every decision. */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** The router chain, asked in order. Instances or plain objects. */
  readonly routers?: readonly DatabaseRouter[];
  /** The apps (from `defineApp`) whose models the project routes. */
  readonly apps?: readonly App[];
  /** Hints of `withSolution(name)`. Default: `{ solution: name, database: 'djo_{name}_db' }` (the seed's naming). */
  readonly solutionHints?: (solution: string) => RoutingHints;
}

const ROUTED = Symbol('fbs.routed');
const REPOSITORIES = Symbol('fbs.repositories');

/**
 * A set of databases, the routers between them and the apps whose models they hold.
 *
 * @example
 * ```ts
 * await using project = createProject({
 *   databases: { default: 'postgres://localhost/fbs_system_db', licensing: 'postgres://localhost/lic_system_db' },
 *   routers: [new AppLabelRouter({ fbs_license_manager: 'licensing' })],
 *   apps: [coreApp, licenseApp],
 * });
 * const license = await project.model(SolutionLicense).create({ solutionName: 'acme_corp' });
 * project.dbOf(license); // 'licensing'
 * ```
 */
export class Project {
  readonly apps: AppRegistry;
  readonly router: RouterChain;
  readonly connections: ConnectionManager;
  readonly #scope = new RoutingScope();
  readonly #models = new Map<Function, RoutedModel<any>>();
  readonly #solutionHints: (solution: string) => RoutingHints;
  readonly #host = {
    meta: (model: Function) => this.apps.meta(baseModel(model)),
    instanceCall: <T>(method: InstanceMethod, instance: Model, options: any, call: (o: any) => Promise<T>): Promise<T> => {
      try {
        return this.#instanceCall(method, instance, options, call);
      } catch (error) {
        return Promise.reject(error); // routing errors arrive as rejections, like every instance method's
      }
    },
    transaction: (alias: string) => this.#scope.transaction(alias),
    live: (alias: string) => this.connections.get(alias),
    route: (kind: RouteKind, meta: ModelMeta) => this.#route(kind, meta, this.#scope.hints()),
    repository: (alias: string, model: Function) => this.repository(alias, model),
    prepare: (alias: string, options: any, meta: ModelMeta, write: boolean) => this.#prepare(alias, options, meta, write),
    checkAlias: (alias: string) => this.#checkAlias(alias, 'using()'),
  };

  constructor(config: ProjectConfig) {
    if (!config || typeof config !== 'object') throw new ConfigurationError('createProject() needs a config object { databases, routers, apps }.');
    this.apps = new AppRegistry(config.apps ?? []);
    this.router = new RouterChain(config.routers ?? [], (instance) => this.dbOf(instance));
    this.#solutionHints = config.solutionHints ?? ((solution) => ({ solution, database: `djo_${solution}_db` }));
    const models = this.apps.models();
    this.connections = new ConnectionManager(config.databases, (alias, dbConfig, address) => {
      const sequelize = createRoutedSequelize(alias, dbConfig, address, models, this.#host);
      const repositories = new Map<Function, ModelStatic<Model>>();
      for (const meta of models) {
        const repository = sequelize.getRepository(meta.model as any) as unknown as ModelStatic<Model>;
        guardAssociations(repository, (a, b, as) => this.#checkRelation(a, b, as));
        repositories.set(meta.model, repository);
      }
      (sequelize as any)[REPOSITORIES] = repositories;
      return sequelize;
    });
    this.#checkRegisteredRelations();
  }

  /** The routed view of a registered model. */
  model<M extends Model>(model: ModelStatic<M>): RoutedModel<M> {
    let routed = this.#models.get(model);
    if (routed === undefined) {
      routed = new RoutedModel<M>(this.#host, this.apps.meta(baseModel(model)));
      this.#models.set(model, routed);
    }
    return routed;
  }

  /** The routed view of a model pinned to `alias` (Django's `Model.objects.using(alias)`). */
  using<M extends Model>(alias: string, model: ModelStatic<M>): RoutedModel<M> {
    return this.model(model).using(alias);
  }

  /** The raw Sequelize repository of `model` on `alias`. */
  repository<M extends Model>(alias: string, model: ModelStatic<M> | Function): ModelStatic<M> {
    const repositories = (this.connections.get(alias) as any)[REPOSITORIES] as Map<Function, ModelStatic<Model>>;
    const repository = repositories.get(model) ?? repositories.get(baseModel(model));
    if (repository === undefined) this.apps.meta(model);
    return repository as ModelStatic<M>;
  }

  /** The Sequelize instance of `alias` (for raw queries and migrations). */
  connection(alias: string): Sequelize {
    return this.connections.get(alias);
  }

  /** The database an instance was loaded from or saved to (Django's `instance._state.db`). */
  dbOf(instance: Model | null | undefined): string | undefined {
    return instance ? repositoryAlias(instance.constructor) : undefined;
  }

  /** Adds a database alias at runtime. */
  addDatabase(alias: string, config: DatabaseConfig, options?: { replace?: boolean }): void {
    this.connections.add(alias, config, options);
  }

  /** Closes and forgets a database alias. */
  removeDatabase(alias: string): Promise<void> {
    return this.connections.remove(alias);
  }

  /** The hints every routing decision sees right now. */
  hints(): RoutingHints {
    return this.#scope.hints();
  }

  /** Runs `fn` with `hints` merged into the ambient hints of every routing decision inside it. */
  withHints<T>(hints: RoutingHints, fn: () => T): T {
    if (!hints || typeof hints !== 'object') throw new ConfigurationError(`withHints() needs a hints object, got ${String(hints)}.`);
    return this.#scope.withHints(hints, fn);
  }

  /** Runs `fn` with the hints of solution `name` (`{ solution, database }`), so solution models route to its databases. */
  withSolution<T>(name: string, fn: () => T): T {
    if (typeof name !== 'string' || name === '') throw new ConfigurationError(`withSolution() needs a solution name, got ${JSON.stringify(name)}.`);
    return this.#scope.withHints(this.#solutionHints(name), fn);
  }

  /**
   * Runs `fn` in a transaction on one database: an alias, or a model (its `dbForWrite`). Routed and
   * raw calls to that database inside `fn` join it; calls to other databases stay outside. Nested
   * calls on the same database use savepoints. Commits when `fn` resolves, rolls back when it throws.
   */
  async transaction<T>(target: string | ModelClass<any>, fn: (transaction: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const alias = typeof target === 'string' ? this.#checkAlias(target, 'transaction()') : this.#route('write', this.apps.meta(baseModel(target)), this.#scope.hints());
    const sequelize = this.connections.get(alias);
    const parent = this.#scope.transaction(alias);
    try {
      return await sequelize.transaction({ ...options, transaction: parent } as TransactionOptions, (t) => this.#scope.withTransaction(alias, t, () => fn(t)));
    } catch (error) {
      if (error instanceof ConnectionError) throw new DatabaseUnavailableError(alias, this.connections.describe(alias), error);
      throw error;
    }
  }

  /** Closes every open connection. Idempotent; aliases reopen on next use. */
  close(): Promise<void> {
    return this.connections.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #route(kind: RouteKind, meta: ModelMeta, hints: RoutingHints): string {
    const alias = kind === 'read' ? this.router.dbForRead(meta, hints) : this.router.dbForWrite(meta, hints);
    if (!this.connections.has(alias)) {
      throw new UnknownDatabaseError(alias, this.connections.aliases(), `${kind === 'read' ? 'dbForRead' : 'dbForWrite'}(${meta.label})`);
    }
    return alias;
  }

  #checkAlias(alias: string, where: string): string {
    if (!this.connections.has(alias)) throw new UnknownDatabaseError(alias, this.connections.aliases(), where);
    return alias;
  }

  #prepare(alias: string, options: any, meta: ModelMeta, write: boolean): any {
    if (options?.transaction) this.#checkTransaction(alias, options.transaction, meta.label);
    let out = options;
    if (options != null && options.include !== undefined) {
      const include = resolveIncludes(options.include, alias, (a, m) => this.repository(a, m), meta.label);
      if (include !== options.include) out = { ...options, include };
    }
    return write ? { ...out, [ROUTED]: alias } : out;
  }

  /** A transaction of another database would run the query on that database's connection. */
  #checkTransaction(alias: string, transaction: Transaction, what: string): void {
    const owner = sequelizeAlias((transaction as unknown as { sequelize: unknown }).sequelize);
    if (owner === alias) return;
    throw new CrossDatabaseError(
      `${what} is routed to database '${alias}' but was given a transaction of ` +
        `${owner === undefined ? 'a Sequelize instance the project does not manage' : `database '${owner}'`}; the query would run on that ` +
        `transaction's connection. Use project.transaction('${alias}', …) (or drop the option: routed calls join the open transaction of their database).`,
      [alias, owner ?? '(unmanaged)'],
    );
  }

  #instanceCall<T>(method: InstanceMethod, instance: Model, options: any, call: (o: any) => Promise<T>): Promise<T> {
    const current = instance.constructor;
    const base = baseModel(current);
    let alias: string | undefined = options?.[ROUTED];
    if (alias === undefined) {
      const hints = { ...this.#scope.hints(), instance };
      alias = this.#route(method === 'reload' ? 'read' : 'write', this.apps.meta(base), hints);
    }
    if (options?.transaction) this.#checkTransaction(alias, options.transaction, (current as { name: string }).name);
    const target = this.repository(alias, base);
    if (current === target) return call(options);
    const moving = repositoryAlias(current) !== alias;
    Object.setPrototypeOf(instance, target.prototype);
    if (!moving || method !== 'save' || instance.isNewRecord) return call(options);
    return this.#prepareMove(instance, target, options).then(() => call(options));
  }

  /** Saving an instance on another database: UPDATE there if the row exists, else INSERT (Django's save on a new `using`). */
  async #prepareMove(instance: Model, target: ModelStatic<Model>, options: any): Promise<void> {
    const exists = await target.count({ where: instance.where() as any, transaction: options?.transaction });
    instance.isNewRecord = exists === 0;
    for (const key of Object.keys(target.getAttributes())) instance.changed(key as any, true);
  }

  #checkRelation(a: Model, b: Model, as: string): void {
    if (this.router.allowRelation(a, b, { ...this.#scope.hints(), association: as })) return;
    throw new RelationNotAllowedError(
      `Cannot assign ${describeInstance(b)} (database '${this.dbOf(b)}') to ${describeInstance(a)}.${as} (database '${this.dbOf(a)}'): ` +
        `the current database router prevents this relation. Keep related rows on one database, ` +
        `or relate them by a plain column and query each database separately.`,
    );
  }

  /**
   * Where writes of `meta` go with no hints, or undefined when a router cannot tell without hints
   * (it throws, e.g. a required solution hint): such associations are checked when used instead.
   */
  #staticRoute(meta: ModelMeta): string | undefined {
    try {
      return this.#route('write', meta, {});
    } catch (error) {
      if (error instanceof UnknownDatabaseError) throw error;
      return undefined;
    }
  }

  /** At registration: an association whose ends the routers send to different databases needs a router's `allowRelation`. */
  #checkRegisteredRelations(): void {
    for (const meta of this.apps.models()) {
      for (const association of this.apps.associations(meta)) {
        const a = this.#staticRoute(meta);
        const b = this.#staticRoute(association.target);
        if (a === undefined || b === undefined || a === b) continue;
        const source = this.repository(a, meta.model).build();
        const target = this.repository(b, association.target.model).build();
        if (this.router.askRelation(source, target, { association: association.as, registration: true }) === true) continue;
        throw new CrossDatabaseError(
          `Cross-database relation refused: ${meta.label}.${association.as} → ${association.target.label}. The routers send ` +
            `${meta.label} to '${a}' and ${association.target.label} to '${b}', and no router's allowRelation allows it. ` +
            `Remove the association and store the other side's key in a plain column (query each database separately), ` +
            `or allow it in a router's allowRelation.`,
          [a, b],
        );
      }
    }
  }
}

function describeInstance(instance: Model): string {
  const name = (instance.constructor as { name: string }).name;
  const pk = (instance.constructor as ModelStatic<Model>).primaryKeyAttribute;
  const id = pk ? instance.get(pk as any) : undefined;
  return id === undefined || id === null ? `unsaved ${name}` : `${name}#${String(id)}`;
}

/** Creates a project (see {@link Project}). */
export function createProject(config: ProjectConfig): Project {
  return new Project(config);
}
