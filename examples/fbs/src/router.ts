import { MissingHintError, type DatabaseRouter, type MigrateHints, type ModelMeta, type RoutingHints } from '@fbs/core';
import { FBS_APP } from './apps/fbs-app/app';
import { LICENSE_APP } from './apps/license-manager/app';
import { SOLUTION_APP } from './apps/solution-app/app';
import { SOLUTION_ERP } from './apps/solution-erp/app';
import { isSolutionAppDatabase, isSolutionErpDatabase, SOLUTION_DATABASES } from './solution-databases';

/**
 * The seed's `FBSDatabaseRouter`, in TypeScript:
 * - `fbs_license_manager` → `licensing` (lic_system_db), `fbs_app` → `default` (fbs_system_db);
 * - the ERP app → `fbs_{solution}_db` of the solution in the hints (`withSolution`);
 * - any other app → `hints.database` (`withSolution` sets `djo_{solution}_db`, @fbs/solutions' naming);
 * - a solution app without those hints is refused ({@link MissingHintError}) where the seed returns
 *   `None` (Django would then fall back to `default`): solution data never reaches a system database;
 * - otherwise no opinion (the SDK then falls back to the instance's database, then `default`).
 *
 * `allowMigrate` goes one step further than the seed, whose `None` for solution apps lets Django
 * migrate them on every database: solution apps migrate only on solution databases.
 *
 * @example
 * ```ts
 * const project = createProject({ databases, routers: [new FBSDatabaseRouter()], apps });
 * await project.withSolution('acme_corp', () => project.model(Customer).create({ name: 'Ada' })); // → fbs_acme_corp_db
 * ```
 */
export class FBSDatabaseRouter implements DatabaseRouter {
  dbForRead(model: ModelMeta, hints: RoutingHints): string | null {
    const appLabel = model.appLabel;

    if (appLabel === LICENSE_APP) return 'licensing'; // → lic_system_db

    if (appLabel === FBS_APP) return 'default'; // → fbs_system_db

    // The ERP side of a solution: fbs_{solution}_db
    if (appLabel === SOLUTION_ERP && typeof hints.solution === 'string') return SOLUTION_DATABASES.erp(hints.solution);

    // Solution-specific databases via hints
    if (typeof hints.database === 'string') return hints.database; // → djo_{solution}_db

    if (appLabel === SOLUTION_APP || appLabel === SOLUTION_ERP) throw missingSolution(model);

    return null;
  }

  dbForWrite(model: ModelMeta, hints: RoutingHints): string | null {
    return this.dbForRead(model, hints);
  }

  allowMigrate(db: string, appLabel: string, _hints?: MigrateHints): boolean | null {
    if (appLabel === LICENSE_APP) return db === 'licensing'; // License models → lic_system_db

    if (appLabel === FBS_APP) return db === 'default'; // FBS models → fbs_system_db

    if (appLabel === SOLUTION_APP) return isSolutionAppDatabase(db); // → djo_{solution}_db only

    if (appLabel === SOLUTION_ERP) return isSolutionErpDatabase(db); // → fbs_{solution}_db only

    return null;
  }
}

function missingSolution(model: ModelMeta): MissingHintError {
  return new MissingHintError(
    `${model.label} is solution data, but this call names no solution, so there is no database to send it to. ` +
      `Run it inside project.withSolution('<solution>', () => …) (or solutions.withSolution), ` +
      `or pin the database with .using('${model.appLabel === SOLUTION_ERP ? 'fbs' : 'djo'}_<solution>_db').`,
  );
}
