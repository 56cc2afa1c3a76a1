import { Model, Utils, type ModelStatic } from 'sequelize';
import { markRepository, movedHome } from './instance-state';
import type { ModelMeta } from './router';

/** Instance methods the SDK routes (Django: save/delete/refresh_from_db ask the router with `instance`). */
export type InstanceMethod = 'save' | 'destroy' | 'restore' | 'reload' | 'increment' | 'decrement';

/** What a repository needs from its project. */
export interface RepositoryHost {
  meta(model: Function): ModelMeta;
  /** Runs `Base.prototype[method]` with `args` on the database the routers choose for `instance`. */
  instanceCall(method: InstanceMethod, instance: Model, args: unknown[]): Promise<unknown>;
  /** Runs `call` on a twin of `instance` made by the class of `home` (the instance lives there, not on its class's database). */
  elsewhere(instance: Model, home: string, call: (twin: Model) => unknown): Promise<unknown>;
  /** Throws when the routers refuse relating `related` to `instance` through association `as`. */
  checkRelation(related: Model, instance: Model, as: string): void;
  /** Runs `fn` with reads pinned to the primaries (for apps declared with `replicaReads: false`). */
  pinPrimary<T>(fn: () => T): T;
  /** The app registered under `label`. */
  apps?(label: string): { readonly replicaReads: boolean } | undefined;
}

/** `fbs_app` + `OdooDatabase` → `fbs_app_odoo_database` (Django's `app_label_model` table naming, in snake case). */
export function defaultTableName(meta: ModelMeta): string {
  const snake = meta.modelName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
  return `${meta.appLabel}_${snake}`;
}

/**
 * The repository class of `modelClass` on database `alias`: a subclass whose instance methods ask
 * the router (with `{ instance }`) before touching a database. Its Sequelize model name is
 * `modelName` — the class's own name, or `app_Model` when two registered apps use the same name —
 * so every Sequelize code path (includes, through models, result parsing) sees a plain identifier.
 */
export function createRepository(modelClass: ModelStatic<Model>, alias: string, modelName: string, host: RepositoryHost, home = alias): ModelStatic<Model> {
  const meta = host.meta(modelClass);
  const Base = modelClass as unknown as new (...args: any[]) => any;
  const Repository = class extends Base {
    static initialize(attributes: unknown, options: Record<string, any>) {
      const declared = options.modelName as string;
      return (Base as any).initialize.call(this, attributes, {
        ...options,
        modelName,
        name: options.name ?? (declared === modelName ? undefined : { singular: Utils.singularize(declared), plural: Utils.pluralize(declared) }),
        tableName: options.tableName ?? defaultTableName(meta),
      });
    }
    save(...args: unknown[]) {
      return host.instanceCall('save', this as unknown as Model, args);
    }
    destroy(...args: unknown[]) {
      return host.instanceCall('destroy', this as unknown as Model, args);
    }
    restore(...args: unknown[]) {
      return host.instanceCall('restore', this as unknown as Model, args);
    }
    reload(...args: unknown[]) {
      return host.instanceCall('reload', this as unknown as Model, args);
    }
    increment(...args: unknown[]) {
      return host.instanceCall('increment', this as unknown as Model, args);
    }
    decrement(...args: unknown[]) {
      return host.instanceCall('decrement', this as unknown as Model, args);
    }
  };
  markRepository(Repository, alias, modelClass, home);
  if (host.apps?.(meta.appLabel)?.replicaReads === false) keepReadsOnPrimary(Repository, host);
  return Repository as unknown as ModelStatic<Model>;
}

/** Every read of the model (`findAll` and `aggregate`, which the other finders and counts go through) runs pinned to the primary. */
function keepReadsOnPrimary(Repository: Function, host: RepositoryHost): void {
  const parent = Object.getPrototypeOf(Repository) as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['findAll', 'aggregate'] as const) {
    Object.defineProperty(Repository, method, {
      configurable: true,
      writable: true,
      value(this: unknown, ...args: unknown[]) {
        return host.pinPrimary(() => parent[method]!.apply(this, args));
      },
    });
  }
}

const ASSIGNERS = new Set(['set', 'add', 'addMultiple']);

/**
 * Wraps the association accessors of a repository (`getX`, `setX`, `addX`, `countX`, … and so the
 * `$get` / `$add` / … of sequelize-typescript, which call them): relating two objects asks the
 * routers' `allowRelation` first (Django's related-object descriptors), and an instance that lives
 * on another database than its class runs the accessor there.
 */
export function guardAccessors(repository: ModelStatic<Model>, host: RepositoryHost): void {
  const proto = repository.prototype as unknown as Record<string, (this: Model, ...args: unknown[]) => unknown>;
  for (const [as, association] of Object.entries(repository.associations)) {
    const { accessors, target: Target } = association as unknown as { accessors: Record<string, string>; target: ModelStatic<Model> };
    const key = (association as unknown as { targetKey?: string }).targetKey ?? Target.primaryKeyAttribute;
    // An allowed object of another database is passed on by key, so Sequelize links the row
    // without ever binding that object to this database.
    const local = (value: unknown) => (value instanceof Model && !(value instanceof (Target as unknown as typeof Model)) ? (value as Model).get(key) : value);
    for (const [kind, name] of Object.entries(accessors)) {
      if (!Object.prototype.hasOwnProperty.call(proto, name)) continue;
      const original = proto[name]!;
      const assigns = ASSIGNERS.has(kind);
      proto[name] = function (this: Model, ...args: unknown[]) {
        const home = movedHome(this);
        if (home !== undefined) return host.elsewhere(this, home, (twin) => (twin as any)[name](...args));
        if (!assigns) return original.apply(this, args);
        const [values, ...rest] = args;
        const list = Array.isArray(values) ? values : [values];
        try {
          for (const value of list) if (value instanceof Model) host.checkRelation(value, this, as);
        } catch (error) {
          return Promise.reject(error); // accessors are async: refusals arrive as rejections, like every routing error
        }
        return original.call(this, Array.isArray(values) ? list.map(local) : local(values), ...rest);
      };
    }
  }
}
