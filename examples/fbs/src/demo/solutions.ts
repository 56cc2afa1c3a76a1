import type { Project } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { SOLUTION_DATABASES } from '../solution-databases';
import { ensureDatabase } from './ensure-database';

/** A solution as the demo reports it. */
export interface SolutionRow {
  readonly solution: string;
  readonly databases: readonly string[];
  readonly created: boolean;
}

/** The seed's Phase 3: both databases of each solution, created when missing and migrated. */
export async function createSolutions(project: Project, names: readonly string[]): Promise<SolutionRow[]> {
  const migrator = new Migrator(project);
  return Promise.all(names.map(async (solution) => {
    const databases = [SOLUTION_DATABASES.app(solution), SOLUTION_DATABASES.erp(solution)];
    const created = (await Promise.all(databases.map((db) => ensureDatabase(project, db)))).some(Boolean);
    const report = await migrator.up({ databases });
    const failure = report.databases.find((d) => d.error);
    if (failure) throw failure.error;
    return { solution, databases, created };
  }));
}
