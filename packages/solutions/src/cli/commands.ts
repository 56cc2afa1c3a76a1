import { attachProgressBar, colorsFor, EXIT, formatTable, writeError, writeJson, type CliIo, type ExitCode } from '@fbs/migrate/cli';
import { SolutionAbortedError } from '../errors';
import type { SolutionManager } from '../solution-manager';
import type { SolutionInfo } from '../solution-info';
import type { ProvisionedVia } from '../events';
import { interruptedJson, interruptedMigrateRows, printInterruptedCreate } from './interrupted-report';

/** What each command gets. */
export interface SolutionsContext {
  readonly io: CliIo;
  readonly manager: SolutionManager;
  readonly json: boolean;
  /** Stops `create` and `migrate` after the current step or migration (the bin: SIGINT/SIGTERM): exit 130. */
  readonly signal?: AbortSignal;
}

const databasesOf = (info: SolutionInfo) => Object.values(info.databases).join(', ');

/**
 * `create NAME...`: creates (or finishes) each solution; all names are checked before anything runs.
 * `signal` stops it after the current step or migration: what was done is printed, exit 130.
 */
export async function createCommand({ io, manager, json, signal }: SolutionsContext, names: string[]): Promise<ExitCode> {
  for (const name of names) manager.validate(name);
  const rows: { solution: SolutionInfo; databases: Record<string, ProvisionedVia> }[] = [];
  let interrupted: { error: SolutionAbortedError; notStarted: string[] } | undefined;
  const stop = onInterrupt(io, signal, 'step (a migration in flight is rolled back)');
  try {
    for (const [i, name] of names.entries()) {
      const via: Record<string, ProvisionedVia> = {};
      const track = (e: { solution: string; database: string; via: ProvisionedVia }) => {
        if (e.solution === name) via[e.database] = e.via;
      };
      manager.on('database:created', track);
      try {
        rows.push({ solution: await manager.create(name, { signal }), databases: via });
      } catch (error) {
        if (!(error instanceof SolutionAbortedError)) throw error;
        interrupted = { error, notStarted: names.slice(i + 1) };
        break;
      } finally {
        manager.off('database:created', track);
      }
    }
  } finally {
    stop();
  }
  const solutions = rows.map((r) => ({ ...r.solution, provisioned: r.databases }));
  if (interrupted) {
    const { error, notStarted } = interrupted;
    if (json) {
      writeJson(io, { aborted: true, solutions, interrupted: interruptedJson(manager.naming, error, notStarted) });
      writeError(io, error);
    } else {
      if (rows.length) printCreated(io, rows);
      printInterruptedCreate(io, manager.naming, error, notStarted);
    }
    return EXIT.INTERRUPTED;
  }
  if (json) writeJson(io, { solutions });
  else printCreated(io, rows);
  return EXIT.OK;
}

function printCreated({ stdout }: CliIo, rows: readonly { solution: SolutionInfo; databases: Record<string, ProvisionedVia> }[]): void {
  const table = rows.map(({ solution, databases }) => [
    solution.name,
    databasesOf(solution),
    Object.keys(databases).length ? Object.entries(databases).map(([db, v]) => `${db}: ${v}`).join(', ') : 'already existed',
  ]);
  stdout.write(`${formatTable(['Solution', 'Databases', 'Created'], table, { color: Boolean(stdout.isTTY) })}\n`);
}

/** Says on stderr, when `signal` aborts, that the command stops after the current `what`; returns the unsubscribe. */
function onInterrupt(io: CliIo, signal: AbortSignal | undefined, what: string): () => void {
  const c = colorsFor(io.stderr, io.env);
  const say = () => io.stderr.write(`${c.yellow('interrupted:')} stopping after the current ${what}…\n`);
  signal?.addEventListener('abort', say, { once: true });
  return () => signal?.removeEventListener('abort', say);
}

/** `list`: the catalogue (ready solutions; `--all` adds interrupted ones). */
export async function listCommand({ io, manager, json }: SolutionsContext, all: boolean): Promise<ExitCode> {
  const records = (await manager.records()).filter((r) => all || r.state === 'ready');
  if (json) writeJson(io, { solutions: records });
  else if (records.length === 0) io.stdout.write('No solutions. Create one with: fbs-solutions create NAME\n');
  else {
    const rows = records.map((r) => [r.name, r.state, databasesOf(r), r.createdAt.toISOString()]);
    io.stdout.write(`${formatTable(['Solution', 'State', 'Databases', 'Created at'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
  }
  return EXIT.OK;
}

/** `drop NAME --confirm NAME`. */
export async function dropCommand({ io, manager, json }: SolutionsContext, name: string, confirm: string | undefined): Promise<ExitCode> {
  const info = await manager.info(name);
  await manager.drop(name, { confirm });
  if (json) writeJson(io, { dropped: name, databases: info ? Object.values(info.databases) : [] });
  else io.stdout.write(`Dropped solution ${name}${info ? ` (${databasesOf(info)})` : ''}.\n`);
  return EXIT.OK;
}

/**
 * `migrate [--solution NAME]... [--concurrency N]`: every (or the named) solution, with a progress bar on a TTY.
 * `signal` stops it after the current migration of each database: what committed is printed, exit 130.
 */
export async function migrateCommand({ io, manager, json, signal }: SolutionsContext, solutions: string[] | undefined, concurrency: number | undefined): Promise<ExitCode> {
  const migrator = await manager.migrator();
  const names = solutions?.length ? solutions : await manager.list();
  const stop = attachProgressBar(migrator as any, { stream: io.stderr, total: names.length * manager.naming.kinds.length, label: 'migrating' });
  const unsubscribe = onInterrupt(io, signal, 'migration of each database (one in flight is rolled back)');
  let report;
  try {
    report = await manager.migrateAll({ solutions: names, concurrency, signal });
  } finally {
    stop();
    unsubscribe();
  }
  if (json) writeJson(io, report);
  else if (report.aborted) {
    const rows = interruptedMigrateRows(io, report);
    io.stdout.write(`${formatTable(['Solution', 'Migrations applied', 'Not applied', 'Result'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
    io.stdout.write('Interrupted: every migration listed as applied committed; the others did not run (or were rolled back). Run `fbs-solutions migrate` again to finish.\n');
  } else {
    const c = colorsFor(io.stdout, io.env);
    const rows = report.solutions.map((s) => {
      const applied = Object.values(s.applied).reduce((n, a) => n + a.length, 0);
      return [s.name, String(applied), s.error ? c.red(`failed: ${s.error.message}`) : c.green('ok')];
    });
    io.stdout.write(`${formatTable(['Solution', 'Applied', 'Result'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
    if (report.failed) io.stderr.write(`${report.failed} of ${report.solutions.length} solution(s) failed; the others are migrated.\n`);
  }
  if (report.aborted) return EXIT.INTERRUPTED;
  return report.failed ? EXIT.FAILED : EXIT.OK;
}
