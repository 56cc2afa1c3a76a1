import { baseModel, FbsError, type Project } from '@fbs/core';
import type { Sequelize } from 'sequelize-typescript';

/** Solution data reached a system database: the call ran outside `withSolution` (the seed's "Ignoring Database Hints"). */
export class MissingSolutionError extends FbsError {
  readonly model: string;
  readonly alias: string;
  constructor(model: string, alias: string) {
    super(
      'FBS_MISSING_SOLUTION',
      `${model} is solution data, but this call was routed to the system database '${alias}' because it names no solution. ` +
        `Run it inside project.withSolution('<solution>', () => …), or pin the database with .using('djo_<solution>_db' / 'fbs_<solution>_db').`,
    );
    this.model = model;
    this.alias = alias;
  }
}

const HOOKS = [
  'beforeFind', 'beforeCount', 'beforeSave', 'beforeBulkCreate', 'beforeBulkUpdate', 'beforeBulkDestroy', 'beforeDestroy', 'beforeUpsert',
] as const;

/**
 * Refuses reads and writes of solution apps' models on the system databases, with an error that
 * says how to name the solution. Without it such a call fails too (the tables exist only in
 * solution databases), but with PostgreSQL's "relation does not exist".
 *
 * @example
 * ```ts
 * guardSystemDatabases(project, { systemAliases: ['default', 'licensing'], solutionApps: ['solution_app', 'solution_erp'] });
 * ```
 */
export function guardSystemDatabases(project: Project, options: { systemAliases: readonly string[]; solutionApps: readonly string[] }): void {
  const apps = new Set(options.solutionApps);
  const install = (alias: string, sequelize: Sequelize) => {
    if (!options.systemAliases.includes(alias)) return;
    for (const hook of HOOKS) {
      sequelize.addHook(hook as any, 'fbs-example:system-guard', function (this: Function) {
        const meta = project.apps.find(baseModel(this));
        if (meta !== undefined && apps.has(meta.appLabel)) throw new MissingSolutionError(meta.label, alias);
      });
    }
  };
  project.connections.on('open', install);
  for (const alias of project.connections.openAliases()) install(alias, project.connections.get(alias));
}
