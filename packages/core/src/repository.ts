import { Utils, type Model, type ModelStatic } from 'sequelize';
import type { ModelClass } from './app';
import type { ModelMeta } from './router';

/** Instance methods the SDK routes (Django: save/delete/refresh_from_db ask the router with `instance`). */
export type InstanceMethod = 'save' | 'destroy' | 'restore' | 'reload' | 'increment' | 'decrement';

/** What a repository needs from its project. */
export interface RepositoryHost {
  meta(model: Function): ModelMeta;
  instanceCall<T>(method: InstanceMethod, instance: Model, options: any, call: (options: any) => Promise<T>): Promise<T>;
}

interface RepositoryInfo {
  readonly alias: string;
  readonly base: ModelClass;
}

const INFO = Symbol('fbs.repository');

/** The database alias a repository class (or an instance's class) is bound to, if it is one of ours. */
export function repositoryAlias(cls: unknown): string | undefined {
  return (cls as { [INFO]?: RepositoryInfo } | undefined)?.[INFO]?.alias;
}

/** The model class a repository was made from (the class itself for a non-repository). */
export function baseModel(cls: Function): Function {
  return (cls as { [INFO]?: RepositoryInfo })[INFO]?.base ?? cls;
}

/** Whether `cls` is a repository class made by the SDK. */
export function isRepository(cls: unknown): boolean {
  return typeof cls === 'function' && Object.prototype.hasOwnProperty.call(cls, INFO);
}

/** `fbs_app` + `OdooDatabase` → `fbs_app_odoo_database` (Django's `app_label_model` table naming, in snake case). */
export function defaultTableName(meta: ModelMeta): string {
  const snake = meta.modelName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
  return `${meta.appLabel}_${snake}`;
}

/**
 * The repository class of `modelClass` on database `alias`: a subclass whose instance methods ask
 * the router (with `{ instance }`) before touching a database, and whose Sequelize model name is
 * namespaced by app (`app_label.ModelName`), so two apps may both have a `User`.
 */
export function createRepository(modelClass: ModelStatic<Model>, alias: string, host: RepositoryHost): ModelStatic<Model> {
  const meta = host.meta(modelClass);
  const Base = modelClass as unknown as new (...args: any[]) => any;
  const Repository = class extends Base {
    static initialize(attributes: unknown, options: Record<string, any>) {
      return (Base as any).initialize.call(this, attributes, {
        ...options,
        modelName: meta.label,
        name: options.name ?? { singular: Utils.singularize(meta.modelName), plural: Utils.pluralize(meta.modelName) },
        tableName: options.tableName ?? defaultTableName(meta),
      });
    }
    save(options?: unknown) {
      return host.instanceCall('save', this as unknown as Model, options, (o) => super.save(o));
    }
    destroy(options?: unknown) {
      return host.instanceCall('destroy', this as unknown as Model, options, (o) => super.destroy(o));
    }
    restore(options?: unknown) {
      return host.instanceCall('restore', this as unknown as Model, options, (o) => super.restore(o));
    }
    reload(options?: unknown) {
      return host.instanceCall('reload', this as unknown as Model, options, (o) => super.reload(o));
    }
    increment(fields: unknown, options?: unknown) {
      return host.instanceCall('increment', this as unknown as Model, options, (o) => super.increment(fields, o));
    }
    decrement(fields: unknown, options?: unknown) {
      return host.instanceCall('decrement', this as unknown as Model, options, (o) => super.decrement(fields, o));
    }
  };
  Object.defineProperty(Repository, INFO, { value: Object.freeze({ alias, base: modelClass }) });
  return Repository as unknown as ModelStatic<Model>;
}
