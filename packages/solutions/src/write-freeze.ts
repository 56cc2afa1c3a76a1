import { SolutionMovingError } from './errors';

interface Frozen {
  readonly until: Promise<void>;
  readonly thaw: () => void;
}

/**
 * Per-solution write freezes of this process (a move's copy step): calls that enter a frozen
 * solution wait up to `waitMs` for the thaw, then fail with a retryable `SolutionMovingError`;
 * `freeze` waits (up to its own bound) for calls already inside to finish. Other processes are
 * held off by the source database itself (read-only while frozen), see docs/servers.md.
 */
export class WriteFreeze {
  readonly #frozen = new Map<string, Frozen>();
  readonly #inside = new Map<string, number>();
  readonly #drained = new Map<string, () => void>();
  readonly waitMs: number;

  constructor(waitMs = 5_000) {
    this.waitMs = waitMs;
  }

  /** Whether writes of `solution` are frozen now. */
  isFrozen(solution: string): boolean {
    return this.#frozen.has(solution);
  }

  /** Throws the retryable error when `solution` is frozen (for synchronous entry points). */
  check(solution: string): void {
    if (this.#frozen.has(solution)) throw new SolutionMovingError(solution, 'is being moved to another server (writes are frozen for a moment)');
  }

  /** Enters `solution` (waiting, bounded, while it is frozen); returns the exit. */
  async enter(solution: string): Promise<() => void> {
    const frozen = this.#frozen.get(solution);
    if (frozen) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.waitMs)));
      const outcome = await Promise.race([frozen.until, late]);
      clearTimeout(timer);
      if (outcome === 'late' || this.#frozen.has(solution)) {
        throw new SolutionMovingError(solution, `is being moved to another server and stayed frozen for more than ${this.waitMs} ms`);
      }
    }
    this.#inside.set(solution, (this.#inside.get(solution) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = this.#inside.get(solution)! - 1;
      if (left > 0) this.#inside.set(solution, left);
      else {
        this.#inside.delete(solution);
        this.#drained.get(solution)?.();
      }
    };
  }

  /** Freezes `solution`; waits up to `drainMs` for calls inside it to finish. Returns the thaw. */
  async freeze(solution: string, drainMs: number): Promise<() => void> {
    let thaw!: () => void;
    const until = new Promise<void>((resolve) => (thaw = resolve));
    const frozen = { until, thaw: () => undefined };
    this.#frozen.set(solution, frozen);
    if (this.#inside.has(solution)) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((resolve) => this.#drained.set(solution, resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
      this.#drained.delete(solution);
    }
    return () => {
      if (this.#frozen.get(solution) === frozen) this.#frozen.delete(solution);
      thaw();
    };
  }
}
