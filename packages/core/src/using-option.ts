/**
 * `{ using: alias }` on an instance's `save`, `destroy`, `restore`, `reload`, `increment` and
 * `decrement` overrides the routers, like Django's `save(using=…)`: the only way to write a row
 * loaded in one database (or solution) into another.
 *
 * @example
 * ```ts
 * await invoice.save({ using: 'archive' }); // UPDATE in archive if the row is there, else INSERT
 * ```
 */
export interface UsingOption {
  /** The database alias to run the operation on, whatever the routers say. */
  readonly using?: string;
}

declare module 'sequelize' {
  interface SaveOptions<TAttributes> extends UsingOption {}
  interface InstanceDestroyOptions extends UsingOption {}
  interface InstanceRestoreOptions extends UsingOption {}
  interface IncrementDecrementOptions<TAttributes> extends UsingOption {}
}
