import type { Model, ModelStatic, Transaction } from 'sequelize';
import { baseModel, instanceDatabase, isUnbound, movedHome, repositoryAlias, setHome } from './instance-state';
import type { InstanceMethod } from './repository';
import type { RouteKind } from './routed-model';
import type { ModelMeta, RoutingHints } from './router';
import { copyInstanceState } from './sequelize-internals';

/** What instance routing needs from its project. */
export interface InstanceRouterHost {
  meta(model: Function): ModelMeta;
  route(kind: RouteKind, meta: ModelMeta, hints: RoutingHints): string;
  hints(): RoutingHints;
  repository(alias: string, model: Function): ModelStatic<Model>;
  checkAlias(alias: string, where: string): string;
  checkTransaction(alias: string, transaction: Transaction, what: string): void;
}

/** Position of the options argument of each routed instance method. */
const OPTIONS_AT: Record<InstanceMethod, number> = { save: 0, destroy: 0, restore: 0, reload: 0, increment: 1, decrement: 1 };

/**
 * Sends instance operations where the routers say (Django's `save` / `delete` /
 * `refresh_from_db`, which ask `db_for_write` / `db_for_read` with `instance=`):
 * - a loaded instance asks the routers with `{ instance }` (the fallback is its own database);
 * - a new instance made by a routed call (`create`, `bulkCreate`, `findOrCreate`) or by a repository
 *   is saved on that repository's database, like Django's `QuerySet.create`;
 * - a new instance from `project.model(M).build()` has no database: its first save asks the routers;
 * - `{ using: alias }` overrides the routers (Django's `save(using=…)`).
 * When the answer is not the database of the instance's class, the operation runs through a twin
 * of the instance made by that database's class, and the outcome is copied back: the user's
 * object never changes class. Saving onto another database than the one the row lives on is
 * Django's move: an UPDATE there if the row exists, else an INSERT, with every column and the key.
 */
export class InstanceRouter {
  readonly #host: InstanceRouterHost;

  constructor(host: InstanceRouterHost) {
    this.#host = host;
  }

  call(method: InstanceMethod, instance: Model, args: unknown[]): Promise<unknown> {
    try {
      const cls = instance.constructor as ModelStatic<Model>;
      const base = baseModel(cls);
      const meta = this.#host.meta(base);
      const options = args[OPTIONS_AT[method]] as { using?: string; transaction?: Transaction; fields?: unknown } | undefined;
      const classAlias = repositoryAlias(cls)!;
      let alias: string;
      if (options?.using !== undefined) alias = this.#host.checkAlias(options.using, `${meta.label}#${method}({ using })`);
      else if (instance.isNewRecord && !isUnbound(instance)) alias = classAlias;
      else alias = this.#host.route(method === 'reload' ? 'read' : 'write', meta, { ...this.#host.hints(), instance, instanceDb: instanceDatabase(instance) });
      if (options?.transaction) this.#host.checkTransaction(alias, options.transaction, meta.label);
      const home = instanceDatabase(instance);
      const moving = method === 'save' && home !== undefined && home !== alias;
      if (alias === classAlias && !moving && movedHome(instance) === undefined && !isUnbound(instance)) {
        return (base.prototype as any)[method].apply(instance, args);
      }
      return this.#elsewhere(method, instance, base, alias, moving, args);
    } catch (error) {
      return Promise.reject(error); // routing errors arrive as rejections, like every instance method's
    }
  }

  /** Runs `call` on a twin of `instance` on database `alias`, then copies the outcome back. */
  async onTwin<T>(instance: Model, alias: string, call: (twin: Model) => T | Promise<T>): Promise<T> {
    const Target = this.#host.repository(alias, baseModel(instance.constructor));
    const attributes = Object.keys(Target.getAttributes());
    const twin = new (Target as unknown as new (values: object, options: object) => Model)({}, { isNewRecord: instance.isNewRecord });
    copyInstanceState(instance, twin, attributes);
    const result = await call(twin);
    copyInstanceState(twin, instance, attributes);
    if (!instance.isNewRecord) setHome(instance, alias);
    return (result === (twin as unknown) ? instance : result) as T;
  }

  async #elsewhere(method: InstanceMethod, instance: Model, base: Function, alias: string, moving: boolean, args: unknown[]): Promise<unknown> {
    const at = OPTIONS_AT[method];
    const run = async (target: Model) => {
      if (moving) args = await this.#prepareMove(target, alias, args, at);
      return (base.prototype as any)[method].apply(target, args);
    };
    if (alias === repositoryAlias(instance.constructor)) {
      const result = await run(instance);
      if (!instance.isNewRecord) setHome(instance, alias);
      return result;
    }
    return this.onTwin(instance, alias, run);
  }

  /** Django's save on a new `using`: UPDATE there if the row exists, else INSERT; every column, key kept. */
  async #prepareMove(target: Model, alias: string, args: unknown[], at: number): Promise<unknown[]> {
    const options = args[at] as { transaction?: Transaction; fields?: unknown } | undefined;
    const Target = this.#host.repository(alias, baseModel(target.constructor));
    const exists = await Target.count({ where: target.where() as any, transaction: options?.transaction });
    target.isNewRecord = exists === 0;
    for (const key of Object.keys(Target.getAttributes())) target.changed(key as any, true);
    if (options?.fields === undefined) return args;
    const copy = [...args];
    copy[at] = { ...options, fields: undefined };
    return copy;
  }
}
