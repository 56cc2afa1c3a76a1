/**
 * The seed's naming of a solution's two databases (their aliases are the database names):
 * `djo_{solution}_db` for the application data, `fbs_{solution}_db` for the ERP (Odoo) data.
 */
export const SOLUTION_DATABASES = Object.freeze({
  app: (solution: string): string => `djo_${solution}_db`,
  erp: (solution: string): string => `fbs_${solution}_db`,
});

const APP_DB = /^djo_[a-z][a-z0-9_]*_db$/;
const ERP_DB = /^fbs_[a-z][a-z0-9_]*_db$/;
/** Aliases (and database names) of the system databases, which are never solution databases. */
const SYSTEM = new Set(['default', 'licensing', 'fbs_system_db', 'lic_system_db']);

/** Whether `alias` is a solution's application database (`djo_{solution}_db`). */
export function isSolutionAppDatabase(alias: string): boolean {
  return APP_DB.test(alias) && !SYSTEM.has(alias);
}

/** Whether `alias` is a solution's ERP database (`fbs_{solution}_db`; `fbs_system_db` is not one). */
export function isSolutionErpDatabase(alias: string): boolean {
  return ERP_DB.test(alias) && !SYSTEM.has(alias);
}
