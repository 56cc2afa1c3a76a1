import { colorsFor, formatTable, writeError, type CliIo } from '@fbs/migrate/cli';
import type { SolutionAbortedError } from '../errors';
import type { MigrateAllReport } from '../migrate-all';
import type { SolutionNaming } from '../naming';

/** The `--json` form of a `create` stopped by a signal: per database of the solution, what was done and what was not. */
export function interruptedJson(naming: SolutionNaming, error: SolutionAbortedError, notStarted: readonly string[]) {
  const { step, begun, databases, applied, pending } = error.done;
  return {
    name: error.solution,
    step,
    state: begun ? 'creating' : null,
    databases: Object.values(naming.databases(error.solution)).map((database) => ({
      database,
      created: databases[database] ?? null,
      applied: applied[database] ?? [],
      pending: pending[database] ?? [],
    })),
    notStarted,
    error,
  };
}

/** Prints what a `create` stopped by a signal did on each database of the solution, and how to finish it. */
export function printInterruptedCreate(io: CliIo, naming: SolutionNaming, error: SolutionAbortedError, notStarted: readonly string[]): void {
  const c = colorsFor(io.stdout, io.env);
  const report = interruptedJson(naming, error, notStarted);
  const rows = report.databases.map((d) => [
    d.database,
    d.created === null ? c.dim('not yet') : d.created === 'existing' ? 'already existed' : d.created,
    d.applied.length ? d.applied.join('\n') : c.dim('-'),
    d.pending.length ? d.pending.join('\n') : c.dim('-'),
  ]);
  io.stdout.write(`${formatTable(['Database', 'Created', 'Migrations applied', 'Not applied'], rows, { color: c.isColorSupported })}\n`);
  io.stdout.write(
    `Interrupted: solution ${error.solution} is ${report.state ? 'not ready' : 'not created'} (stopped at: ${report.step}). ` +
      `Every migration listed as applied committed; the others did not run (or were rolled back). ` +
      `Run \`fbs-solutions create ${error.solution}\` again to finish it.\n`,
  );
  if (notStarted.length) io.stdout.write(`Not started: ${notStarted.join(', ')}.\n`);
  writeError(io, error);
}

/** The lines of `migrate`'s table for a run stopped by a signal: what each solution applied and did not. */
export function interruptedMigrateRows(io: CliIo, report: MigrateAllReport): string[][] {
  const c = colorsFor(io.stdout, io.env);
  const per = (record: Readonly<Record<string, readonly string[]>> | undefined, none?: string) =>
    Object.entries(record ?? {}).flatMap(([db, names]) => (names.length ? names.map((n) => `${db}: ${n}`) : none ? [`${db}: ${none}`] : [])).join('\n');
  return report.solutions.map((s) => [
    s.name,
    per(s.applied) || c.dim('-'),
    s.aborted ? per(s.pending, 'not started') : c.dim('-'),
    s.aborted ? c.yellow('STOPPED') : s.error ? c.red(`failed: ${s.error.message}`) : c.green('ok'),
  ]);
}
