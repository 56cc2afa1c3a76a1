import type { Model } from 'sequelize';

/**
 * Which database an instance belongs to (Django's `instance._state.db`).
 *
 * An instance is made by the class of one database (its repository class). It belongs to that
 * database once loaded from or saved to it; until its first save it belongs to none. When the
 * routers send it to another database (Django's "move" on `save(using=…)`), the SDK runs the
 * operation there and records the instance's new home here — its class never changes.
 */
const REPOSITORY = Symbol('fbs.repository');
const homes = new WeakMap<Model, string>();
const unbound = new WeakSet<Model>();

interface RepositoryInfo {
  readonly alias: string;
  readonly base: Function;
  /** The database its loaded instances belong to: `alias`, or the primary of a replica alias. */
  readonly home: string;
}

/** Marks `cls` as the repository of `base` on database `alias` (a replica's instances belong to `home`, its primary). */
export function markRepository(cls: Function, alias: string, base: Function, home = alias): void {
  Object.defineProperty(cls, REPOSITORY, { value: Object.freeze({ alias, base, home }) });
}

function repositoryHome(cls: unknown): string | undefined {
  return (cls as { [REPOSITORY]?: RepositoryInfo } | undefined)?.[REPOSITORY]?.home;
}

/** The database alias a repository class (or an instance's class) serves, if it is one of ours. */
export function repositoryAlias(cls: unknown): string | undefined {
  return (cls as { [REPOSITORY]?: RepositoryInfo } | undefined)?.[REPOSITORY]?.alias;
}

/** The model class a repository was made from (the class itself for a non-repository). */
export function baseModel(cls: Function): Function {
  return (cls as { [REPOSITORY]?: RepositoryInfo })[REPOSITORY]?.base ?? cls;
}

/** Whether `cls` is a repository class made by the SDK. */
export function isRepository(cls: unknown): boolean {
  return typeof cls === 'function' && Object.prototype.hasOwnProperty.call(cls, REPOSITORY);
}

/** The database `instance` belongs to: undefined while it is unsaved. */
export function instanceDatabase(instance: Model | null | undefined): string | undefined {
  if (!instance || instance.isNewRecord) return undefined;
  return homes.get(instance) ?? repositoryHome(instance.constructor);
}

/** Where the row of `instance` lives when that is not its class's database (or undefined). */
export function movedHome(instance: Model): string | undefined {
  return homes.get(instance);
}

/** Records that `instance` now belongs to `alias`. */
export function setHome(instance: Model, alias: string): void {
  unbound.delete(instance);
  if (alias === repositoryHome(instance.constructor)) homes.delete(instance);
  else homes.set(instance, alias);
}

/** Marks an instance built by `project.model(M).build()`: its first save asks the routers. */
export function markUnbound(instance: Model): void {
  unbound.add(instance);
}

/** Whether the instance was built unbound and has not been saved yet. */
export function isUnbound(instance: Model): boolean {
  return unbound.has(instance);
}
