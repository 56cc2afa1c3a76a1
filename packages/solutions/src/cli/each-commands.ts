import { EventEmitter } from 'node:events';
import type { SeedReport } from '@fbs/migrate';
import { attachProgressBar, colorsFor, EXIT, formatTable, UsageError, writeError, writeJson, type ExitCode } from '@fbs/migrate/cli';
import type { RunEachOptions, RunEachReport, SolutionTaskRun } from '../run-each';
import type { SolutionsContext } from './commands';
import { loadScript } from './load-script';

/** Flags of `seed` and `run`: which solutions, how many at once, whether to go on after a failure. */
export interface EachFlags {
  readonly solution?: string[];
  readonly all?: boolean;
  readonly concurrency?: number;
  readonly continueOnError?: boolean;
  readonly always?: boolean;
}

/** `seed [app…]`: the project's seeds on each selected solution's databases, inside `withSolution`. */
export async function seedEachCommand(context: SolutionsContext, apps: string[], flags: EachFlags): Promise<ExitCode> {
  const options = selection(flags, context);
  return report(context, options, 'seeding', describeSeeds, (settled) =>
    context.manager.seedEach({ ...options, apps: apps.length ? apps : undefined, always: flags.always, onSettled: settled }),
  );
}

/** `run SCRIPT`: the script's default (or `run`) export once per selected solution, inside `withSolution`. */
export async function runEachCommand(context: SolutionsContext, script: string, flags: EachFlags): Promise<ExitCode> {
  const options = selection(flags, context);
  const task = await loadScript(context.io.cwd, script);
  return report(context, options, 'running', describeResult, (settled) => context.manager.runEach(task, { ...options, onSettled: settled }));
}

function selection(flags: EachFlags, { signal }: SolutionsContext): RunEachOptions {
  if (!flags.all && !flags.solution?.length) throw new UsageError('Say which solutions: --solution NAME (repeatable) or --all (every ready solution).');
  if (flags.all && flags.solution?.length) throw new UsageError('Pass either --solution or --all, not both.');
  return { solutions: flags.all ? undefined : flags.solution, concurrency: flags.concurrency, continueOnError: flags.continueOnError, signal };
}

async function report<R>(
  { io, manager, json, signal }: SolutionsContext,
  options: RunEachOptions,
  label: string,
  describe: (run: SolutionTaskRun<R>) => string,
  start: (settled: (run: SolutionTaskRun<R>) => void) => Promise<RunEachReport<R>>,
): Promise<ExitCode> {
  const progress = new EventEmitter();
  const total = options.solutions?.length ?? (await manager.list()).length;
  const stop = json ? () => undefined : attachProgressBar(progress, { stream: io.stderr, total, label, unit: 'solutions' });
  let result: RunEachReport<R>;
  try {
    result = await start((run) => progress.emit('database:done', { alias: run.name }));
  } finally {
    stop();
  }
  if (json) writeJson(io, result);
  else {
    const c = colorsFor(io.stdout, io.env);
    const outcome = { ok: c.green('ok'), failed: c.red('FAILED'), skipped: c.dim('skipped') };
    const rows = result.solutions.map((s) => [s.name, outcome[s.outcome], s.durationMs === undefined ? '' : `${Math.round(s.durationMs)} ms`, s.error ? s.error.message : s.outcome === 'ok' ? describe(s) : '']);
    io.stdout.write(`${formatTable(['Solution', 'Result', 'Time', 'Details'], rows, { color: c.isColorSupported })}\n`);
    const ok = result.solutions.length - result.failed - result.skipped;
    const why = result.aborted ? 'interrupted before they started' : 'not started after the first failure; --continue-on-error runs them';
    io.stdout.write(`${ok} of ${result.solutions.length} solution(s) ok${result.failed ? `, ${c.red(`${result.failed} failed`)}` : ''}${result.skipped ? `, ${result.skipped} skipped (${why})` : ''}.\n`);
  }
  for (const s of result.solutions) if (s.error) writeError(io, new Error(`solution ${s.name}: ${s.error.message}`));
  if (result.aborted || signal?.aborted) return EXIT.INTERRUPTED;
  return result.failed ? EXIT.FAILED : EXIT.OK;
}

function describeSeeds(run: SolutionTaskRun<SeedReport>): string {
  const ran = run.result?.databases.flatMap((d) => d.ran.map((n) => `${d.alias}: ${n}`)) ?? [];
  return ran.length ? ran.join('\n') : 'nothing to run';
}

function describeResult(run: SolutionTaskRun): string {
  const value = run.result;
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
