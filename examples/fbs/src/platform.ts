import type { Project } from '@fbs/core';
import { Migrator, type MigratorConfig } from '@fbs/migrate';
import { SolutionManager, type SolutionsConfig } from '@fbs/solutions';
import { LicenseManager, type LicenseManagerConfig } from './apps/license-manager/license-manager';
import { createFbsProject, type FbsProjectConfig } from './project';

/** What {@link createFbsPlatform} takes: the project's databases, and options of the three services. */
export interface FbsPlatformConfig extends FbsProjectConfig {
  readonly migrator?: MigratorConfig;
  /** Options of the solution manager (the migrator above is passed to it). */
  readonly solutions?: Omit<SolutionsConfig, 'migrator'>;
  readonly licenses?: LicenseManagerConfig;
}

/** FBS assembled: the routed project and the services built on it. */
export interface FbsPlatform {
  readonly project: Project;
  /** Runs each app's migrations where the router allows them (`fbs-migrate` is this, on the command line). */
  readonly migrator: Migrator;
  /** Creates, lists, migrates and drops solutions (`djo_{name}_db` + `fbs_{name}_db`). */
  readonly solutions: SolutionManager;
  /** Tiers, feature flags and usage limits in lic_system_db. */
  readonly licenses: LicenseManager;
  /** Closes the solution manager and every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * The FBS platform: {@link createFbsProject} plus a `Migrator`, a `SolutionManager` and a
 * {@link LicenseManager} on it.
 *
 * @example
 * ```ts
 * const fbs = createFbsPlatform();                       // DB_* / LIC_DB_* from the environment
 * await fbs.migrator.up({ databases: ['licensing'] });  // Phase 1
 * await fbs.migrator.up({ databases: ['default'] });    // Phase 2
 * await fbs.solutions.create('acme_corp');              // Phase 3
 * await fbs.solutions.withSolution('acme_corp', () => fbs.project.model(Customer).create({ name: 'Ada' }));
 * await fbs.close();
 * ```
 */
export function createFbsPlatform(config: FbsPlatformConfig = {}): FbsPlatform {
  const project = createFbsProject(config);
  const migrator = new Migrator(project, config.migrator);
  const solutions = new SolutionManager(project, { ...config.solutions, migrator });
  const licenses = new LicenseManager(project, config.licenses);
  let closing: Promise<void> | undefined;
  return {
    project, migrator, solutions, licenses,
    close: () => (closing ??= solutions.close().then(() => project.close())),
  };
}
