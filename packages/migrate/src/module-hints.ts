import type { MigrateHints } from '@fbs/core';

/** What the local name of a migration or seed may look like: `0001_initial` (letters, digits, _ . -). */
export const MODULE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The routing hints a migration or seed module declares, checked: `{ modelName?, ...module.hints }`,
 * frozen, as `allowMigrate` gets them. A bad `hints` or `modelName` throws a `PlanError` naming
 * `where` and the value.
 *
 * @example
 * ```ts
 * declaredHints({ modelName: 'Partner' }, "App 'crm' migrations[0]", MigrationPlanError); // { modelName: 'Partner' }
 * ```
 */
export function declaredHints(module: { readonly hints?: unknown; readonly modelName?: unknown }, where: string, PlanError: new (message: string) => Error): Readonly<MigrateHints> {
  if (module.hints !== undefined && (module.hints === null || typeof module.hints !== 'object')) {
    throw new PlanError(`${where}: \`hints\` must be an object, got ${JSON.stringify(module.hints)}.`);
  }
  if (module.modelName !== undefined && typeof module.modelName !== 'string') {
    throw new PlanError(`${where}: \`modelName\` must be a string, got ${JSON.stringify(module.modelName)}.`);
  }
  return Object.freeze({ ...(module.modelName !== undefined ? { modelName: module.modelName } : {}), ...(module.hints as MigrateHints | undefined) });
}
