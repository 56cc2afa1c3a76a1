import { Seeder, type SeedReport } from '@fbs/migrate';
import type { RunEachOptions, RunEachReport, SolutionTask } from './run-each';

/** Options of `seedEach`: which solutions (see `runEach`), and which seeds. */
export interface SeedEachOptions extends Omit<RunEachOptions<SeedReport>, 'onSettled'> {
  /** Only these apps' seeds (default: every app's). */
  readonly apps?: readonly string[];
  /** Run every seed again, also those a database's seed history records. */
  readonly always?: boolean;
  readonly onSettled?: RunEachOptions<SeedReport>['onSettled'];
}

/** What `seedEach` needs: a `runEach` over the solutions. */
export interface SeedEachHost {
  readonly project: Seeder['project'];
  runEach<R>(task: SolutionTask<R>, options: RunEachOptions<R>): Promise<RunEachReport<R>>;
}

/**
 * The task of `seedEach`: the project's seeds (`defineApp({ seeds })`) on one solution's databases,
 * inside `withSolution`, each seed once per database (or again with `always`). A seed that fails
 * fails the solution (its transaction rolled back), with the seeder's report kept as the cause.
 */
export function seedEachSolution(host: SeedEachHost, options: SeedEachOptions = {}): Promise<RunEachReport<SeedReport>> {
  const seeder = new Seeder(host.project);
  const { apps, always, ...each } = options;
  return host.runEach(async ({ databases }) => {
    const report = await seeder.run({ databases: Object.values(databases), apps, always, continueOnError: true });
    const failed = report.databases.find((d) => d.error);
    if (failed) throw Object.assign(failed.error!, { report });
    return report;
  }, each);
}
