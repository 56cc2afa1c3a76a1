import { SolutionAbortedError } from './errors';
import type { ProvisionedVia } from './events';
import { isAbort } from './migrator-contract';

/**
 * What one `create()` has done so far, and its `signal`: `check(step)` between steps throws a
 * {@link SolutionAbortedError} saying what was done once the signal is aborted.
 */
export class CreateProgress {
  readonly solution: string;
  readonly signal: AbortSignal | undefined;
  /** The step under way (or about to start). */
  step = 'starting';
  /** The catalogue row exists. */
  begun = false;
  readonly databases: Record<string, ProvisionedVia> = {};
  readonly applied: Record<string, string[]> = {};
  readonly pending: Record<string, string[]> = {};

  constructor(solution: string, signal: AbortSignal | undefined) {
    this.solution = solution;
    this.signal = signal;
  }

  /** Enters `step`; throws {@link SolutionAbortedError} if the signal is aborted. */
  check(step: string): void {
    this.step = step;
    if (this.signal?.aborted) throw this.aborted();
  }

  /** The error saying what was done. */
  aborted(cause?: unknown): SolutionAbortedError {
    const { step, begun, databases, applied, pending } = this;
    return new SolutionAbortedError(this.solution, { step, begun, databases: { ...databases }, applied: { ...applied }, pending: { ...pending } }, cause === undefined ? undefined : { cause });
  }

  /** Rethrows `error`, as a {@link SolutionAbortedError} when the signal caused it. */
  rethrow(error: unknown): never {
    if (error instanceof SolutionAbortedError || !isAbort(error, this.signal)) throw error;
    throw this.aborted(error);
  }
}
