import { SOLUTION_NAME_PATTERN, SolutionNaming } from '@fbs/solutions';

/** The seed's naming of a solution's two databases, from @fbs/solutions' default templates. */
const naming = new SolutionNaming(); // { djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' }

/**
 * The seed's naming of a solution's two databases (their aliases are the database names):
 * `djo_{solution}_db` for the application data, `fbs_{solution}_db` for the ERP (Odoo) data.
 */
export const SOLUTION_DATABASES = Object.freeze({
  app: (solution: string): string => naming.database('djo', solution),
  erp: (solution: string): string => naming.database('fbs', solution),
});

/** Aliases (and database names) of the system databases, which are never solution databases. */
const SYSTEM = new Set(['default', 'licensing', 'fbs_system_db', 'lic_system_db']);

/** The kind (`djo` or `fbs`) of a solution database alias, or undefined for any other alias. */
function kindOf(alias: string): string | undefined {
  if (SYSTEM.has(alias)) return undefined;
  const parsed = naming.parse(alias);
  return parsed && SOLUTION_NAME_PATTERN.test(parsed.solution) ? parsed.kind : undefined;
}

/** Whether `alias` is a solution's application database (`djo_{solution}_db`). */
export function isSolutionAppDatabase(alias: string): boolean {
  return kindOf(alias) === 'djo';
}

/** Whether `alias` is a solution's ERP database (`fbs_{solution}_db`; `fbs_system_db` is not one). */
export function isSolutionErpDatabase(alias: string): boolean {
  return kindOf(alias) === 'fbs';
}
