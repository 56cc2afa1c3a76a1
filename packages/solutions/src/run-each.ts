import { ConfigurationError, type Project } from '@fbs/core';
import pLimit from 'p-limit';

/** What a task run by `runEach` receives, inside `withSolution(solution)`. */
export interface SolutionTaskContext {
  /** The solution this call is for. */
  readonly solution: string;
  /** Its databases, kind → alias (e.g. `{ djo: 'djo_acme_db', fbs: 'fbs_acme_db' }`). */
  readonly databases: Readonly<Record<string, string>>;
  readonly project: Project;
  /** Aborted when the run stops (the caller's signal, or another solution's failure without `continueOnError`): stop early if you can. */
  readonly signal: AbortSignal;
}

/** A task `runEach` runs once per solution. */
export type SolutionTask<R = unknown> = (context: SolutionTaskContext) => R | Promise<R>;

/** Options of `runEach`. */
export interface RunEachOptions<R = unknown> {
  /** Only these solutions, in this order (default: every ready solution). Unknown names are an error before anything runs. */
  readonly solutions?: readonly string[];
  /** Solutions run at once. Default 4. Their connections stay under the pool cap. */
  readonly concurrency?: number;
  /** Keep starting solutions after one fails. Default false: none starts after the first failure (they are `skipped`). */
  readonly continueOnError?: boolean;
  /** Stops the run: no solution starts after it (they are `skipped`); tasks in flight see their `signal` aborted. */
  readonly signal?: AbortSignal;
  /** Called as each solution finishes (ok or failed), e.g. to draw progress. */
  readonly onSettled?: (run: SolutionTaskRun<R>) => void;
}

/** One solution's outcome. */
export interface SolutionTaskRun<R = unknown> {
  readonly name: string;
  /** `ok`; `failed`; `skipped` (not started: an earlier failure without `continueOnError`, or the run was stopped). */
  readonly outcome: 'ok' | 'failed' | 'skipped';
  /** How long its task took (ok and failed). */
  readonly durationMs?: number;
  /** What its task returned (ok). */
  readonly result?: R;
  readonly error?: Error;
}

/** What `runEach` reports, one entry per solution in the order asked. */
export interface RunEachReport<R = unknown> {
  readonly solutions: SolutionTaskRun<R>[];
  readonly failed: number;
  readonly skipped: number;
  /** Set when the caller's signal stopped the run. */
  readonly aborted?: true;
}

/** What running tasks needs from the manager. */
export interface RunEachHost {
  readonly project: Project;
  databasesOf(solution: string): Readonly<Record<string, string>>;
  withSolution<T>(solution: string, fn: () => T | Promise<T>): T | Promise<T>;
}

/**
 * Runs `task` once per solution in `names`, each inside `withSolution`, at most `concurrency` at
 * once; a failure stops new solutions from starting unless `continueOnError`. Never throws for a
 * task's failure: the report says which ran, which failed and which were skipped.
 */
export async function runEachSolution<R>(host: RunEachHost, names: readonly string[], task: SolutionTask<R>, options: RunEachOptions<R> = {}): Promise<RunEachReport<R>> {
  if (typeof task !== 'function') throw new ConfigurationError(`runEach(task) needs a function (context) => …, got ${task === null ? 'null' : typeof task}.`);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigurationError(`runEach({ concurrency }) must be a positive integer, got ${JSON.stringify(concurrency)}.`);
  const stop = new AbortController();
  const outer = options.signal;
  const onAbort = () => stop.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  if (outer?.aborted) onAbort();
  const limit = pLimit(concurrency);
  try {
    const solutions = await Promise.all(
      names.map((name) =>
        limit(async (): Promise<SolutionTaskRun<R>> => {
          if (stop.signal.aborted) return { name, outcome: 'skipped' };
          const started = performance.now();
          let run: SolutionTaskRun<R>;
          try {
            const context = Object.freeze({ solution: name, databases: host.databasesOf(name), project: host.project, signal: stop.signal });
            const result = await host.withSolution(name, () => task(context));
            run = { name, outcome: 'ok', durationMs: performance.now() - started, result };
          } catch (error) {
            if (!options.continueOnError) stop.abort(error);
            run = { name, outcome: 'failed', durationMs: performance.now() - started, error: error instanceof Error ? error : new Error(String(error)) };
          }
          options.onSettled?.(run);
          return run;
        }),
      ),
    );
    const count = (outcome: SolutionTaskRun['outcome']) => solutions.filter((s) => s.outcome === outcome).length;
    const report = { solutions, failed: count('failed'), skipped: count('skipped') };
    return outer?.aborted ? { ...report, aborted: true } : report;
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
}
