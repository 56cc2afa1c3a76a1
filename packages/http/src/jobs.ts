import type { SolutionManager } from '@fbs/solutions';
import { causalityHeaders } from './causality';

/** The payload key the solution travels under (kept short and unlikely to clash). */
export const JOB_SOLUTION_KEY = '__fbsSolution';

/** The payload key the enqueuing context's causality token travels under (when it wrote). */
export const JOB_CAUSALITY_KEY = '__fbsCausality';

/** A job payload that carries its solution (and the causality token of the context that enqueued it, if that wrote). */
export type SolutionPayload<T extends object> = T & { readonly [JOB_SOLUTION_KEY]: string; readonly [JOB_CAUSALITY_KEY]?: string };

/** A BullMQ-style job (`job.data` is the payload) or the payload itself. */
export type JobLike = { readonly data?: unknown } | object;

/** Helpers that carry the solution of the current scope into job payloads and restore it when jobs run. */
export interface JobSolutions {
  /**
   * `data` with the solution added: the current scope's (`project.hints().solution`) unless one is
   * given. Throws when there is none: a job enqueued outside a solution would run in none. When the
   * current context wrote, its causality token is added too, so the job reads those writes.
   */
  carry<T extends object>(data: T, solution?: string): SolutionPayload<T>;
  /** The solution a job (or payload) carries, or undefined. */
  solutionOf(job: JobLike): string | undefined;
  /**
   * Runs `fn` in a read-your-writes context of its own (`project.withContext`, adopting the
   * causality token the job carries) inside `manager.withSolution` of the solution `job` carries.
   * Fails closed: a job that carries no solution, one that is unknown or dropped by now, or a
   * malformed token, throws before `fn` runs.
   */
  withJobSolution<T>(job: JobLike, fn: () => T | Promise<T>): Promise<T>;
  /** Wraps a processor `(job, ...rest) => …` (BullMQ `Worker`, a plain async function) with {@link withJobSolution}. */
  solutionJob<J extends JobLike, A extends unknown[], R>(fn: (job: J, ...rest: A) => R | Promise<R>): (job: J, ...rest: A) => Promise<R>;
}

/**
 * Job helpers for `manager`.
 *
 * @example
 * ```ts
 * const jobs = jobSolutions(manager);
 * await queue.add('invoice', jobs.carry({ orderId }));               // inside a request: its solution
 * new Worker('invoices', jobs.solutionJob(async (job) => {
 *   await project.model(Invoice).create({ orderId: job.data.orderId }); // → the solution's database
 * }));
 * ```
 */
export function jobSolutions(manager: SolutionManager): JobSolutions {
  const { project } = manager;
  const carried = (job: JobLike, key: string): unknown => {
    if (job === null || typeof job !== 'object') return undefined;
    const data = (job as { data?: unknown }).data;
    const carrier = data !== null && typeof data === 'object' && JOB_SOLUTION_KEY in data ? data : job;
    return (carrier as Record<string, unknown>)[key];
  };
  const solutionOf = (job: JobLike): string | undefined => {
    const value = carried(job, JOB_SOLUTION_KEY);
    return typeof value === 'string' ? value : undefined;
  };
  const withJobSolution = async <T>(job: JobLike, fn: () => T | Promise<T>): Promise<T> => {
    const solution = solutionOf(job);
    if (solution === undefined) {
      throw new TypeError(`The job carries no solution (no '${JOB_SOLUTION_KEY}' in its data): enqueue it with jobSolutions(manager).carry(data).`);
    }
    const token = carried(job, JOB_CAUSALITY_KEY);
    return project.withContext(() => {
      const run = () => manager.withSolution(solution, fn);
      // A malformed token (or a non-string) is refused by withCausality before the job runs.
      return token === undefined ? run() : project.withCausality(token as string, run);
    });
  };
  return {
    carry<T extends object>(data: T, solution?: string): SolutionPayload<T> {
      const name = solution ?? manager.project.hints().solution;
      if (typeof name !== 'string' || name === '') {
        throw new TypeError('carry() found no solution: call it inside a solution scope (a request, withSolution) or pass the solution.');
      }
      manager.validate(name);
      const token = causalityHeaders(project, JOB_CAUSALITY_KEY)[JOB_CAUSALITY_KEY];
      return (token === undefined ? { ...data, [JOB_SOLUTION_KEY]: name } : { ...data, [JOB_SOLUTION_KEY]: name, [JOB_CAUSALITY_KEY]: token }) as SolutionPayload<T>;
    },
    solutionOf,
    withJobSolution,
    solutionJob: (fn) => (job, ...rest) => withJobSolution(job, () => fn(job, ...rest)),
  };
}

/** {@link JobSolutions.withJobSolution} without building the helpers first. */
export function withJobSolution<T>(manager: SolutionManager, job: JobLike, fn: () => T | Promise<T>): Promise<T> {
  return jobSolutions(manager).withJobSolution(job, fn);
}

/** {@link JobSolutions.solutionJob} without building the helpers first. */
export function solutionJob<J extends JobLike, A extends unknown[], R>(manager: SolutionManager, fn: (job: J, ...rest: A) => R | Promise<R>): (job: J, ...rest: A) => Promise<R> {
  return jobSolutions(manager).solutionJob(fn);
}
