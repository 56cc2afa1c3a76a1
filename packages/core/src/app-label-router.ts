import { closest } from './errors';
import type { DatabaseRouter, MigrateHints, ModelMeta } from './router';
import type { CheckProblem, RouterCheckContext } from './system-check';

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

  /** Its answers depend on the app label alone. */
  hintFree(): boolean {
    return true;
  }

  allowMigrate(db: string, appLabel: string, _hints?: MigrateHints): boolean | null {
    const target = this.#routes.get(appLabel);
    return target === undefined ? null : db === target;
  }

  /** `project.check()`: entries naming an app that is not registered or an alias that is not configured. */
  check(context: RouterCheckContext): CheckProblem[] {
    const problems: CheckProblem[] = [];
    for (const [app, alias] of this.#routes) {
      if (!context.appLabels.includes(app)) {
        const guess = closest(app, context.appLabels);
        problems.push({ code: 'fbs.E003', level: 'error', message: `AppLabelRouter routes app '${app}', which is not registered.${guess ? ` Did you mean '${guess}'?` : ''}`, objects: ['AppLabelRouter', app], hint: `Register the app with defineApp({ label: '${app}' }) or remove the entry.` });
      }
      if (!context.has(alias)) {
        const guess = closest(alias, context.aliases);
        problems.push({ code: 'fbs.E003', level: 'error', message: `AppLabelRouter sends app '${app}' to '${alias}', which is not a configured database alias.${guess ? ` Did you mean '${guess}'?` : ''}`, objects: ['AppLabelRouter', app, alias], hint: `Configure '${alias}' under \`databases\`, or fix the entry.` });
      }
    }
    return problems;
  }
}
