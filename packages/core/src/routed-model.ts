import type {
  AggregateOptions, Attributes, BulkCreateOptions, CountOptions, CreateOptions, CreationAttributes, DestroyOptions,
  FindAndCountOptions, FindOptions, FindOrBuildOptions, FindOrCreateOptions, Identifier, IncrementDecrementOptionsWithBy,
  Model, ModelStatic, RestoreOptions, TruncateOptions, UpdateOptions, UpsertOptions, WhereOptions, BuildOptions,
} from 'sequelize';
import type { RouteKind, RoutedModelHost } from './routed-model-host';
import type { ModelMeta } from './router';

export type { RouteKind, RoutedModelHost } from './routed-model-host';

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
  #staticRead: string | null | undefined;
  #staticWrite: string | null | undefined;
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
    return this.#route('read');
  }

  /** The database writes go to right now. */
  dbForWrite(): string {
    return this.#route('write');
  }

  /** The raw Sequelize repository of this model on the read (or write) database. */
  repository(kind: 'read' | 'write' = 'read'): ModelStatic<M> {
    return this.#repo(kind === 'read' ? this.dbForRead() : this.dbForWrite());
  }

  findAll(options?: FindOptions<Attributes<M>>): Promise<M[]> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).findAll(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  findOne(options?: FindOptions<Attributes<M>>): Promise<M | null> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).findOne(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  findByPk(pk: Identifier, options?: Omit<FindOptions<Attributes<M>>, 'where'>): Promise<M | null> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).findByPk(pk, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  findAndCountAll(options?: FindAndCountOptions<Attributes<M>>): Promise<{ rows: M[]; count: number }> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).findAndCountAll(this.#host.prepare(alias, options, this.meta)) as any;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  count(options?: CountOptions<Attributes<M>>): Promise<number> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).count(this.#host.prepare(alias, options, this.meta)) as any;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  max<T = unknown>(field: keyof Attributes<M> & string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).max(field, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  min<T = unknown>(field: keyof Attributes<M> & string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).min(field, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  sum(field: keyof Attributes<M> & string, options?: AggregateOptions<number, Attributes<M>>): Promise<number> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).sum(field, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  aggregate<T = unknown>(field: string, fn: string, options?: AggregateOptions<T, Attributes<M>>): Promise<T> {
    try {
      const alias = this.#route('read');
      return this.#repo(alias).aggregate(field as any, fn, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Builds an unsaved instance (nothing is sent, no router is asked). Like Django's `Model(...)`
   * it has no database (`dbOf` → undefined) until its first `save()`, which goes where
   * `dbForWrite(model, { instance })` says then; after `using(alias)` it is saved on `alias`.
   */
  build(values?: CreationAttributes<M>, options?: BuildOptions): M {
    const alias = this.#alias ?? this.#host.buildAlias(this.meta);
    const instance = this.#repo(alias).build(values as any, this.#host.prepare(alias, options, this.meta)) as M;
    if (this.#alias === undefined) this.#host.markUnbound(instance);
    return instance;
  }

  create(values?: CreationAttributes<M>, options?: CreateOptions<Attributes<M>>): Promise<M> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).create(values as any, this.#host.prepare(alias, options, this.meta)) as Promise<M>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  bulkCreate(records: readonly CreationAttributes<M>[], options?: BulkCreateOptions<Attributes<M>>): Promise<M[]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).bulkCreate(records as any, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  update(values: Partial<Attributes<M>>, options: UpdateOptions<Attributes<M>>): Promise<[affectedCount: number]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).update(values as any, this.#host.prepare(alias, options, this.meta)) as any;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  destroy(options?: DestroyOptions<Attributes<M>>): Promise<number> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).destroy(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  restore(options?: RestoreOptions<Attributes<M>>): Promise<void> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).restore(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  truncate(options?: TruncateOptions<Attributes<M>>): Promise<void> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).truncate(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  upsert(values: CreationAttributes<M>, options?: UpsertOptions<Attributes<M>>): Promise<[M, boolean | null]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).upsert(values as any, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  increment(fields: keyof Attributes<M> & string | Partial<Record<keyof Attributes<M>, number>>, options: IncrementDecrementOptionsWithBy<Attributes<M>> & { where: WhereOptions<Attributes<M>> }): Promise<unknown> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).increment(fields as any, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  decrement(fields: keyof Attributes<M> & string | Partial<Record<keyof Attributes<M>, number>>, options: IncrementDecrementOptionsWithBy<Attributes<M>> & { where: WhereOptions<Attributes<M>> }): Promise<unknown> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).decrement(fields as any, this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reads and, if missing, creates — both on the write database, like Django's `get_or_create`. */
  findOrCreate(options: FindOrCreateOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).findOrCreate(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Like `findOrCreate`, without a transaction around it (Sequelize's `findCreateFind`), on the write database. */
  findCreateFind(options: FindOrCreateOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).findCreateFind(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reads on the write database and builds (unsaved) when missing. */
  findOrBuild(options: FindOrBuildOptions<Attributes<M>, CreationAttributes<M>>): Promise<[M, boolean]> {
    try {
      const alias = this.#route('write');
      return this.#repo(alias).findOrBuild(this.#host.prepare(alias, options, this.meta));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #route(kind: RouteKind): string {
    if (this.#alias !== undefined) return this.#alias;
    let fixed = kind === 'read' ? this.#staticRead : this.#staticWrite;
    if (fixed === undefined) {
      fixed = this.#host.staticRoute(kind, this.meta) ?? null;
      if (kind === 'read') this.#staticRead = fixed;
      else this.#staticWrite = fixed;
    }
    return fixed === null ? this.#host.route(kind, this.meta) : this.#host.known(fixed, kind, this.meta);
  }

  #repo(alias: string): ModelStatic<M> & Record<string, any> {
    const repository = this.#host.repository(alias, this.meta.model) as any;
    return this.#scopes === undefined ? repository : repository.scope(...this.#scopes);
  }
}
