import type { Model, ModelStatic, Transaction, TransactionOptions } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { AliasAccess } from './alias-access';
import { AliasModels, initAliasModels } from './alias-models';
import type { App, ModelClass } from './app';
import { AppRegistry } from './app-registry';
import { ConnectionManager } from './connection-manager';
import type { DatabaseConfig } from './database-config';
import { ConfigurationError, UnknownDatabaseError } from './errors';
import { resolveIncludes } from './include-resolver';
import { baseModel, instanceDatabase, markUnbound } from './instance-state';
import { InstanceRouter } from './instance-router';
import { ModelPlacement } from './model-placement';
import { syncProject, type ProjectSyncOptions } from './project-sync';
import { checkRelation } from './relation-check';
import { createRoutedSequelize, foreignTransactionError, ownsTransaction, type SequelizeHost } from './routed-sequelize';
import { RoutedModel, type RouteKind, type RoutedModelHost } from './routed-model';
import type { DatabaseRouter, MigrateHints, ModelMeta, RoutingHints } from './router';
import { RouterChain } from './router-chain';
import { ProjectContext } from './project-context';
import { isFinished, type BuiltinTypeMap } from './sequelize-internals';
import { SolutionHints } from './solution-hints';
import { runChecks, type CheckOptions, type CheckProblem } from './system-check';

/** What `createProject` takes. Frozen once taken. */
export interface ProjectConfig {
  /** Database aliases → connection config (URL or Sequelize options). `default` is the fallback of every decision. */
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  /** The router chain, asked in order. Instances or plain objects. */
  readonly routers?: readonly DatabaseRouter[];
  /** The apps (from `defineApp`) whose models the project routes. */
  readonly apps?: readonly App[];
  /**
   * Hints of `withSolution(name)`. Default: `{ solution: name }`, merged over what the solution
   * packages add (a `SolutionManager` adds `database`, its first kind's database, e.g.
   * `djo_{name}_db`). Core knows no solution naming. It may throw to refuse a name.
   */
  readonly solutionHints?: (solution: string) => RoutingHints;
}

const versions = new Map<string, string>();
const typeMaps = new Map<string, BuiltinTypeMap>();
const serverKey = (c: { dialect: string; host?: string; port?: number }) => `${c.dialect}://${c.host ?? 'localhost'}:${c.port ?? ''}`;

/**
 * A set of databases, the routers between them and the apps whose models they hold.
 * Creating one calls no router and opens no connection.
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
export class Project extends ProjectContext {
  readonly apps: AppRegistry;
  readonly router: RouterChain;
  readonly connections: ConnectionManager;
  /** Hooks for test harnesses: an outer transaction per alias, and guards on every query (see {@link AliasAccess}). */
  readonly access = new AliasAccess();
  readonly #models = new Map<Function, RoutedModel<any>>();
  readonly #solutions: SolutionHints;
  readonly #placement: ModelPlacement;
  readonly #instances: InstanceRouter;
  readonly #aliasModels: AliasModels;
  readonly #host: SequelizeHost & RoutedModelHost;

  constructor(config: ProjectConfig) {
    super();
    if (!config || typeof config !== 'object') throw new ConfigurationError('createProject() needs a config object { databases, routers, apps }.');
    this.apps = new AppRegistry(config.apps ?? []);
    this.router = new RouterChain(config.routers ?? [], instanceDatabase);
    this.#solutions = new SolutionHints(config.solutionHints);
    // A replica registers the models of its primary.
    this.#placement = new ModelPlacement(this.apps, (db, app) => this.router.allowMigrate(this.connections.primaryOf(db) ?? db, app, {}));
    this.#instances = new InstanceRouter({
      meta: (model) => this.apps.meta(model),
      route: (kind, meta, hints) => this.#route(kind, meta, hints),
      hints: () => this.scope.hints(),
      repository: (alias, model) => this.repository(alias, model),
      checkAlias: (alias, where) => this.#checkAlias(alias, where),
      checkTransaction: (alias, transaction, what) => this.#checkTransaction(alias, transaction, what),
    });
    this.#host = {
      meta: (model) => this.apps.meta(baseModel(model)),
      instanceCall: (method, instance, args) => this.#instances.call(method, instance, args),
      elsewhere: (instance, home, call) => this.#instances.onTwin(instance, home, call),
      checkRelation: (related, instance, as) =>
        checkRelation(
          { router: this.router, hints: () => this.scope.hints(), wouldWrite: (i, other) => this.#route('write', this.apps.meta(baseModel(i.constructor)), { ...this.scope.hints(), instance: other }) },
          related,
          instance,
          as,
        ),
      transaction: (alias) => this.scope.transaction(alias) ?? this.access.outerTransaction(alias),
      outerTransaction: (alias) => this.access.outerTransaction(alias),
      checkAccess: (alias, what) => this.access.check(alias, what),
      withTransaction: (alias, transaction, fn) => this.scope.withTransaction(alias, transaction, fn),
      live: (alias) => this.connections.get(alias),
      modelName: (model) => this.#placement.modelName(model),
      serverVersion: (c) => versions.get(serverKey(c)) ?? 0,
      rememberVersion: (c, version) => void versions.set(serverKey(c), version),
      typeMap: (alias, c) => (this.#placement.builtinTypesOnly(alias) ? typeMaps.get(serverKey(c)) : undefined),
      rememberTypeMap: (c, map) => void typeMaps.set(serverKey(c), map),
      route: (kind, meta) => this.#route(kind, meta, this.scope.hints()),
      staticRoute: (kind, meta) => this.router.staticRoute(kind, meta),
      known: (alias, kind, meta) => (this.connections.has(alias) ? alias : this.#route(kind, meta, this.scope.hints())),
      repository: (alias, model) => this.repository(alias, model),
      prepare: (alias, options, meta) => this.#prepare(alias, options, meta),
      checkAlias: (alias) => this.#checkAlias(alias, 'using()'),
      buildAlias: (meta) => this.#buildAlias(meta),
      markUnbound: (instance) => markUnbound(instance),
      replication: this.replication,
      pinPrimary: (fn) => this.scope.withPin(fn),
      apps: (label) => this.apps.app(label),
      primaryOf: (alias) => this.connections.primaryOf(alias),
    };
    this.#aliasModels = new AliasModels(this.#placement, this.#host, (alias, model) => this.repository(alias, model));
    // An alias's Sequelize starts empty: a model (and what it reaches through associations) is
    // added on its first use there, so opening an alias costs only what it serves.
    this.connections = new ConnectionManager(config.databases, (alias, dbConfig, address) => {
      const sequelize = createRoutedSequelize(alias, dbConfig, address, this.#host);
      initAliasModels(sequelize);
      return sequelize;
    });
    this.connections.on('close', (alias) => this.replication.forget(alias));
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
    return this.#aliasModels.repository(alias, this.connections.get(alias), baseModel(model)) as ModelStatic<M>;
  }

  /** The Sequelize of `alias` with its models registered (raw queries, `sync()`, migrations); `{ migration: true }`: the migrator's, on `migrationUrl` when set. */
  connection(alias: string, options: { migration?: boolean } = {}): Sequelize {
    const sequelize = options.migration ? this.connections.migrationConnection(alias) : this.connections.get(alias);
    this.#aliasModels.all(alias, sequelize);
    return sequelize;
  }

  /** The database an instance was loaded from or saved to (Django's `instance._state.db`); undefined while unsaved. */
  dbOf(instance: Model | null | undefined): string | undefined {
    return instanceDatabase(instance);
  }

  /** Adds a database alias at runtime. */
  addDatabase(alias: string, config: DatabaseConfig, options?: { replace?: boolean }): void {
    this.connections.add(alias, config, options);
  }

  /** Closes and forgets a database alias. */
  removeDatabase(alias: string): Promise<void> {
    return this.connections.remove(alias);
  }

  /**
   * Runs `fn` with the hints of solution `name` (`{ solution }`, plus what {@link addSolutionHints}
   * providers add, e.g. a SolutionManager's `database`), so solution models route to its databases.
   */
  withSolution<T>(name: string, fn: () => T): T {
    return this.scope.withHints(this.#solutions.of(name), fn);
  }

  /**
   * Adds hints to every `withSolution(name)` scope (under the config's `solutionHints`, which win):
   * how a solution package (not core) says which databases a solution has. Returns a remover.
   *
   * @example
   * ```ts
   * const remove = project.addSolutionHints((solution) => ({ database: `app_${solution}` }));
   * ```
   */
  addSolutionHints(provider: (solution: string) => RoutingHints): () => void {
    return this.#solutions.addProvider(provider);
  }

  /**
   * Adds a check every `withSolution(name)` runs first; it throws to refuse a name (@fbs/solutions
   * installs one that refuses invalid and reserved names such as `template`). Returns a remover.
   */
  addSolutionGuard(guard: (solution: string) => void): () => void {
    return this.#solutions.addGuard(guard);
  }

  /** Whether migrations of `appLabel` may run on `db`, asked with the ambient hints merged under `hints`. Never on a replica. */
  allowMigrate(db: string, appLabel: string, hints: MigrateHints = {}): boolean {
    if (this.connections.primaryOf(db) !== undefined) return false;
    return this.router.allowMigrate(db, appLabel, { ...this.scope.hints(), ...hints });
  }

  /**
   * Django's system checks: problems that can be seen without a query (associations across
   * databases, routers naming unknown aliases or apps, apps that may migrate nowhere). Asks the
   * routers with empty hints; a router that needs hints to answer is skipped.
   */
  check(options: CheckOptions = {}): CheckProblem[] {
    return runChecks(
      {
        apps: this.apps,
        router: this.router,
        aliases: () => this.connections.aliases(),
        has: (alias) => this.connections.has(alias),
        build: (alias, model) => this.repository(alias, model).build(),
        registered: (alias, meta) => this.#placement.allows(alias, meta),
      },
      options,
    );
  }

  /**
   * Creates each model's table on the databases where `allowMigrate` allows its app (Django's
   * `migrate --run-syncdb`), in foreign-key order. For development and tests; deploys use migrations.
   */
  sync(options: ProjectSyncOptions = {}): Promise<void> {
    return syncProject(this.connections.aliases(), (alias) => this.connection(alias), (alias) => this.#placement.modelsFor(alias).map((m) => this.repository(alias, m.model)), options);
  }

  /**
   * Runs `fn` in a transaction on one database: an alias, or a model (its `dbForWrite`). Routed and
   * raw calls to that database inside `fn` join it; calls to other databases stay outside, and so
   * does work that outlives it (timers, listeners). Nested calls on the same database use
   * savepoints. Commits when `fn` resolves, rolls back when it throws.
   */
  transaction<T>(target: string | ModelClass<any>, fn: (transaction: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    try {
      const alias = typeof target === 'string' ? this.#checkAlias(target, 'transaction()') : this.#route('write', this.apps.meta(baseModel(target)), this.scope.hints());
      const open = this.scope.transaction(alias) ?? this.access.outerTransaction(alias);
      const parent = open !== undefined && !isFinished(open) ? open : undefined;
      return this.connections.get(alias).transaction({ ...options, transaction: options.transaction ?? parent } as TransactionOptions, fn);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes every open connection and stops the replica health checks. Idempotent; aliases reopen on next use. */
  close(): Promise<void> {
    this.replication.forget();
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

  /**
   * The database whose class makes an unsaved instance; the instance stays unbound (its first save
   * asks the routers). An open database that registers the model is preferred (`default` first),
   * then a configured one; only a model no configured database may hold (solution data, whose
   * databases are resolved at run time) asks `dbForWrite` here, to pick the class.
   */
  #buildAlias(meta: ModelMeta): string {
    const candidates = this.connections.openAliases().filter((alias) => this.connections.primaryOf(alias) === undefined && this.#placement.allows(alias, meta));
    if (candidates.length > 0) return candidates.includes('default') ? 'default' : candidates[candidates.length - 1]!;
    return this.connections.aliases().find((alias) => this.#placement.allows(alias, meta)) ?? this.#route('write', meta, this.scope.hints());
  }

  #prepare(alias: string, options: any, meta: ModelMeta): any {
    if (options == null) return options;
    if (options.transaction) this.#checkTransaction(alias, options.transaction, meta.label);
    if (options.include === undefined) return options;
    const include = resolveIncludes(options.include, alias, (a, m) => this.repository(a, m), meta.label);
    return include === options.include ? options : { ...options, include };
  }

  /** A transaction of another database would run the query on that database's connection. */
  #checkTransaction(alias: string, transaction: Transaction, what: string): void {
    if (!ownsTransaction(alias, transaction)) throw foreignTransactionError(alias, transaction, what);
  }
}

/** Creates a {@link Project}. Calls no router and opens no connection. */
export function createProject(config: ProjectConfig): Project {
  return new Project(config);
}
