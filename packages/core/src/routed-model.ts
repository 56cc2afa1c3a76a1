import type {
  AggregateOptions, Attributes, BulkCreateOptions, CountOptions, CreateOptions, CreationAttributes, DestroyOptions,
  FindAndCountOptions, FindOptions, FindOrBuildOptions, FindOrCreateOptions, Identifier, IncrementDecrementOptionsWithBy,
  Model, ModelStatic, RestoreOptions, TruncateOptions, UpdateOptions, UpsertOptions, WhereOptions, BuildOptions,
} from 'sequelize';
import type { ModelMeta } from './router';

/** The two routing decisions. */
export type RouteKind = 'read' | 'write';

/** What a routed model needs from its project. */
export interface RoutedModelHost {
  route(kind: RouteKind, meta: ModelMeta): string;
  repository(alias: string, model: Function): ModelStatic<Model>;
  prepare(alias: string, options: any, meta: ModelMeta, write: boolean): any;
  checkAlias(alias: string): void;
}

/**
 * A model seen through the routers: reads go to `dbForRead`, writes to `dbForWrite`, `using(alias)`
 * overrides both. Every instance it returns is bound to the database it came from (`dbOf`).
 *
 * @example
 * ```ts
 * const licenses = project.model(SolutionLicense);
 * await licenses.create({ solutionName: 'acme_corp', tier: 'pro' });   // → licensing
 * await licenses.using('default').count();                               // explicit database
 * ```
 */
export class RoutedModel<M extends Model> {
  readonly #host: RoutedModelHost;
  readonly #alias: string | undefined;
  readonly #scopes: readonly unknown[] | undefined;
  /** The model's app, name and class. */
  readonly meta: ModelMeta;

  constructor(host: RoutedModelHost, meta: ModelMeta, alias?: string, scopes?: readonly unknown[]) {
    this.#host = host;
    this.meta = meta;
    this.#alias = alias;
    this.#scopes = scopes;
  }

  /** The same model pinned to one database, whatever the routers say (Django's `using()`). */
  using(alias: string): RoutedModel<M> {
    this.#host.checkAlias(alias);
    return new RoutedModel<M>(this.#host, this.meta, alias, this.#scopes);
  }

  /** The same model with Sequelize scopes applied (`Model.scope(...)`), still routed. */
  scope(...scopes: unknown[]): RoutedModel<M> {
    return new RoutedModel<M>(this.#host, this.meta, this.#alias, scopes);
  }

  /** The same model without its default scope (`Model.unscoped()`), still routed. */
  unscoped(): RoutedModel<M> {
    return new RoutedModel<M>(this.#host, this.meta, this.#alias, [null]);
  }

  /** The database reads go to right now (routers, ambient hints, `using`). */
  dbForRead(): string {
    return this.#alias ?? this.#host.route('read', this.meta);
  }

  /** The database writes go to right now. */
  dbForWrite(): string {
    return this.#alias ?? this.#host.route('write', this.meta);
  }

  /** The raw Sequelize repository of this model on the read (or write) database. */
  repository(kind: 'read' | 'write' = 'read'): ModelStatic<M> {
    return this.#repo(kind === 'read' ? this.dbForRead() : this.dbForWrite());
  }

  async findAll(options?: FindOptions<Attributes<M>>): Promise<M[]> {
    const alias = this.dbForRead();
    return this.#repo(alias).findAll(this.#host.prepare(alias, options, this.meta, false));
  }

  async findOne(options?: FindOptions<Attributes<M>>): Promise<M | null> {
    const alias = this.dbForRead();
    return this.#repo(alias).findOne(this.#host.prepare(alias, options, this.meta, false));
  }

  async findByPk(pk: Identifier, options?: Omit<FindOptions<Attributes<M>>, 'where'>): Promise<M | null> {
    const alias = this.dbForRead();
    return this.#repo(alias).findByPk(pk, this.#host.prepare(alias, options, this.meta, false));
  }

  async findAndCountAll(options?: FindAndCountOptions<Attributes<M>>): Promise<{ rows: M[]; count: number }> {
    const alias = this.dbForRead();
    return this.#repo(alias).findAndCountAll(this.#host.prepare(alias, options, this.meta, false)) as any;
  }

  async count(options?: CountOptions<Attributes<M>>): Promise<number> {
    const alias = this.dbForRead();
    return this.#repo(alias).count(this.#host.prepare(alias, options, this.meta, false)) as any;
  }

  async max<T = unknown>(field: keyof Attributes<M> & string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    const alias = this.dbForRead();
    return this.#repo(alias).max(field, this.#host.prepare(alias, options, this.meta, false));
  }

  async min<T = unknown>(field: keyof Attributes<M> & string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    const alias = this.dbForRead();
    return this.#repo(alias).min(field, this.#host.prepare(alias, options, this.meta, false));
  }

  async sum(field: keyof Attributes<M> & string, options?: AggregateOptions<number, Attributes<M>>): Promise<number> {
    const alias = this.dbForRead();
    return this.#repo(alias).sum(field, this.#host.prepare(alias, options, this.meta, false));
  }

  async aggregate<T = unknown>(field: string, fn: string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    const alias = this.dbForRead();
    return this.#repo(alias).aggregate(field as any, fn, this.#host.prepare(alias, options, this.meta, false));
  }

  /** Builds an unsaved instance bound to the write database (nothing is sent). */
  build(values?: CreationAttributes<M>, options?: BuildOptions): M {
    const alias = this.dbForWrite();
    return this.#repo(alias).build(values as any, this.#host.prepare(alias, options, this.meta, true)) as M;
  }

  async create(values?: CreationAttributes<M>, options?: CreateOptions<Attributes<M>>): Promise<M> {
    const alias = this.dbForWrite();
    return this.#repo(alias).create(values as any, this.#host.prepare(alias, options, this.meta, true)) as Promise<M>;
  }

  async bulkCreate(records: readonly CreationAttributes<M>[], options?: BulkCreateOptions<Attributes<M>>): Promise<M[]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).bulkCreate(records as any, this.#host.prepare(alias, options, this.meta, true));
  }

  async update(values: Partial<Attributes<M>>, options: UpdateOptions<Attributes<M>>): Promise<[affectedCount: number]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).update(values as any, this.#host.prepare(alias, options, this.meta, true)) as any;
  }

  async destroy(options?: DestroyOptions<Attributes<M>>): Promise<number> {
    const alias = this.dbForWrite();
    return this.#repo(alias).destroy(this.#host.prepare(alias, options, this.meta, true));
  }

  async restore(options?: RestoreOptions<Attributes<M>>): Promise<void> {
    const alias = this.dbForWrite();
    return this.#repo(alias).restore(this.#host.prepare(alias, options, this.meta, true));
  }

  async truncate(options?: TruncateOptions<Attributes<M>>): Promise<void> {
    const alias = this.dbForWrite();
    return this.#repo(alias).truncate(this.#host.prepare(alias, options, this.meta, true));
  }

  async upsert(values: CreationAttributes<M>, options?: UpsertOptions<Attributes<M>>): Promise<[M, boolean | null]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).upsert(values as any, this.#host.prepare(alias, options, this.meta, true));
  }

  async increment(fields: keyof Attributes<M> & string | Partial<Record<keyof Attributes<M>, number>>, options: IncrementDecrementOptionsWithBy<Attributes<M>> & { where: WhereOptions<Attributes<M>> }): Promise<unknown> {
    const alias = this.dbForWrite();
    return this.#repo(alias).increment(fields as any, this.#host.prepare(alias, options, this.meta, true));
  }

  async decrement(fields: keyof Attributes<M> & string | Partial<Record<keyof Attributes<M>, number>>, options: IncrementDecrementOptionsWithBy<Attributes<M>> & { where: WhereOptions<Attributes<M>> }): Promise<unknown> {
    const alias = this.dbForWrite();
    return this.#repo(alias).decrement(fields as any, this.#host.prepare(alias, options, this.meta, true));
  }

  /** Reads and, if missing, creates — both on the write database, like Django's `get_or_create`. */
  async findOrCreate(options: FindOrCreateOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).findOrCreate(this.#host.prepare(alias, options, this.meta, true));
  }

  /** Like `findOrCreate`, without a transaction around it (Sequelize's `findCreateFind`), on the write database. */
  async findCreateFind(options: FindOrCreateOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).findCreateFind(this.#host.prepare(alias, options, this.meta, true));
  }

  /** Reads on the write database and builds (unsaved) when missing. */
  async findOrBuild(options: FindOrBuildOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    const alias = this.dbForWrite();
    return this.#repo(alias).findOrBuild(this.#host.prepare(alias, options, this.meta, true));
  }

  #repo(alias: string): ModelStatic<M> & Record<string, any> {
    const repository = this.#host.repository(alias, this.meta.model) as any;
    return this.#scopes === undefined ? repository : repository.scope(...this.#scopes);
  }
}
