import type { Model } from 'sequelize';
import type { AppRegistry } from './app-registry';
import type { ModelMeta } from './router';
import type { RouterChain } from './router-chain';

/** One problem found by `project.check()` (Django's system check messages). */
export interface CheckProblem {
  /** Stable id, e.g. `fbs.E001`. */
  readonly code: string;
  /** `error` fails `fbs-migrate check`; `warning` is reported only. */
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** The objects involved: model labels, aliases, app labels, router names. */
  readonly objects: readonly string[];
  /** What to change. */
  readonly hint: string;
}

/** Options of `project.check()`. */
export interface CheckOptions {
  /** More database aliases migrations may target (e.g. solution templates), besides the configured ones. */
  readonly databases?: readonly string[];
}

/** What a router may inspect to check itself (`check?(context)` on a router). */
export interface RouterCheckContext {
  /** Configured aliases. */
  readonly aliases: readonly string[];
  /** Whether an alias is configured or resolvable. */
  has(alias: string): boolean;
  /** Registered app labels. */
  readonly appLabels: readonly string[];
}

/** What the checks need from the project. */
export interface CheckSubject {
  readonly apps: AppRegistry;
  readonly router: RouterChain;
  aliases(): string[];
  has(alias: string): boolean;
  build(alias: string, model: Function): Model;
  registered(alias: string, meta: ModelMeta): boolean;
}

/** Runs every check; returns the problems (empty when all is well). */
export function runChecks(subject: CheckSubject, options: CheckOptions): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const staticRoute = (meta: ModelMeta): string | undefined => {
    try {
      return subject.router.dbForWrite(meta, {});
    } catch {
      return undefined; // needs hints (e.g. a solution): decided per scope, checked when used
    }
  };
  const routes = new Map<ModelMeta, string | undefined>();
  for (const meta of subject.apps.models()) {
    const alias = staticRoute(meta);
    routes.set(meta, alias);
    if (alias !== undefined && !subject.has(alias)) {
      problems.push({ code: 'fbs.E002', level: 'error', message: `The routers send writes of ${meta.label} to '${alias}', which is not a configured database alias.`, objects: [meta.label, alias], hint: `Configure '${alias}' under \`databases\`, or fix the router.` });
    } else if (alias !== undefined && !subject.registered(alias, meta)) {
      problems.push({ code: 'fbs.E005', level: 'error', message: `The routers send writes of ${meta.label} to '${alias}', where allowMigrate does not allow app '${meta.appLabel}'.`, objects: [meta.label, alias], hint: `Make allowMigrate('${alias}', '${meta.appLabel}') true, or route ${meta.label} elsewhere.` });
    }
  }
  for (const meta of subject.apps.models()) {
    for (const association of subject.apps.associations(meta)) {
      const a = routes.get(meta);
      const b = routes.get(association.target);
      if (a === undefined || b === undefined || a === b || !subject.has(a) || !subject.has(b)) continue;
      if (!subject.registered(a, meta) || !subject.registered(b, association.target)) continue;
      const allowed = subject.router.askRelation(subject.build(b, association.target.model), subject.build(a, meta.model), { association: association.as });
      if (allowed === true) continue;
      problems.push({
        code: 'fbs.E001',
        level: 'error',
        message: `Association ${meta.label}.${association.as} → ${association.target.label} crosses databases: the routers place ${meta.label} on '${a}' and ${association.target.label} on '${b}', and no allowRelation allows it.`,
        objects: [`${meta.label}.${association.as}`, association.target.label, a, b],
        hint: `Route both models to one database, allow the relation in a router's allowRelation (e.g. replicas of the same data), or relate them by a plain column.`,
      });
    }
  }
  const candidates = [...new Set([...subject.aliases(), ...(options.databases ?? [])])];
  for (const app of subject.apps.apps()) {
    if (app.models.length === 0 && app.migrations === undefined) continue;
    if (candidates.some((db) => safeAllow(subject.router, db, app.label))) continue;
    problems.push({
      code: 'fbs.W004',
      level: candidates.length === subject.aliases().length && options.databases === undefined ? 'warning' : 'error',
      message: `allowMigrate allows app '${app.label}' on none of the databases ${candidates.map((c) => `'${c}'`).join(', ')}.`,
      objects: [app.label],
      hint: `Allow it on the database that should hold its tables. Databases resolved at run time (solutions) can be named with check({ databases: [...] }).`,
    });
  }
  const context: RouterCheckContext = { aliases: subject.aliases(), has: (alias) => subject.has(alias), appLabels: subject.apps.apps().map((a) => a.label) };
  for (const router of subject.router.routers) {
    const own = (router as { check?: (c: RouterCheckContext) => CheckProblem[] }).check;
    if (typeof own === 'function') problems.push(...own.call(router, context));
  }
  return problems;
}

function safeAllow(router: RouterChain, db: string, app: string): boolean {
  try {
    return router.allowMigrate(db, app, {});
  } catch {
    return true;
  }
}
