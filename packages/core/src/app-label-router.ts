import type { DatabaseRouter, MigrateHints, ModelMeta } from './router';

/**
 * Sends every model of an app to one database, and keeps the app's migrations there.
 * Apps not in the map get no opinion, so later routers decide.
 *
 * @example
 * ```ts
 * new AppLabelRouter({ fbs_license_manager: 'licensing', fbs_app: 'default' })
 * ```
 */
export class AppLabelRouter implements DatabaseRouter {
  readonly #routes: ReadonlyMap<string, string>;

  constructor(routes: Readonly<Record<string, string>>) {
    this.#routes = new Map(Object.entries(routes));
  }

  dbForRead(model: ModelMeta): string | null {
    return this.#routes.get(model.appLabel) ?? null;
  }

  dbForWrite(model: ModelMeta): string | null {
    return this.#routes.get(model.appLabel) ?? null;
  }

  allowMigrate(db: string, appLabel: string, _hints?: MigrateHints): boolean | null {
    const target = this.#routes.get(appLabel);
    return target === undefined ? null : db === target;
  }
}
