import type { SolutionManager } from '@fbs/solutions';

/** What the catalogue says about one solution name. */
export type SolutionStatus = 'ready' | 'unknown' | 'dropped' | 'creating' | 'dropping';

interface Entry {
  readonly status: SolutionStatus;
  readonly expires: number;
}

/** Options of {@link SolutionCache}. */
export interface SolutionCacheOptions {
  /** How long a `ready` answer is trusted without asking the catalogue again (ms, default 30,000). */
  readonly ttlMs?: number;
  /** How long a negative answer is kept (ms, default 1,000): bounds catalogue queries for unknown names. */
  readonly negativeTtlMs?: number;
  /** Most names kept (default 10,000); the oldest are forgotten first. */
  readonly maxEntries?: number;
}

/**
 * A cache of catalogue answers in front of `SolutionManager.info`, so a request for a known solution
 * runs no query. The manager's `created` and `dropped` events update it at once (in this process;
 * other processes' changes are seen within `ttlMs`). Concurrent lookups of one name share one query.
 */
export class SolutionCache {
  readonly #manager: SolutionManager;
  readonly #ttl: number;
  readonly #negativeTtl: number;
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<SolutionStatus>>();
  readonly #unsubscribe: () => void;

  constructor(manager: SolutionManager, options: SolutionCacheOptions = {}) {
    this.#manager = manager;
    this.#ttl = options.ttlMs ?? 30_000;
    this.#negativeTtl = options.negativeTtlMs ?? 1_000;
    this.#max = options.maxEntries ?? 10_000;
    const created = ({ solution }: { solution: { name: string } }) => this.#set(solution.name, 'ready');
    const dropped = ({ solution }: { solution: string }) => this.#set(solution, 'dropped');
    manager.on('created', created);
    manager.on('dropped', dropped);
    this.#unsubscribe = () => {
      manager.off('created', created);
      manager.off('dropped', dropped);
    };
  }

  /** The status of `solution` (a valid name), from the cache or the catalogue. */
  status(solution: string): SolutionStatus | Promise<SolutionStatus> {
    const entry = this.#entries.get(solution);
    if (entry && entry.expires > Date.now()) return entry.status;
    let pending = this.#pending.get(solution);
    if (!pending) {
      pending = this.#lookup(solution, entry?.status).finally(() => this.#pending.delete(solution));
      this.#pending.set(solution, pending);
    }
    return pending;
  }

  /** Forgets `solution` (or every name): the next request asks the catalogue. */
  invalidate(solution?: string): void {
    if (solution === undefined) this.#entries.clear();
    else this.#entries.delete(solution);
  }

  /** Stops listening to the manager's events. */
  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }

  async #lookup(solution: string, previous: SolutionStatus | undefined): Promise<SolutionStatus> {
    const record = await this.#manager.info(solution);
    const status: SolutionStatus = record ? record.state : previous === 'dropped' ? 'dropped' : 'unknown';
    this.#set(solution, status);
    return status;
  }

  #set(solution: string, status: SolutionStatus): void {
    this.#entries.delete(solution);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(solution, { status, expires: Date.now() + (status === 'ready' ? this.#ttl : this.#negativeTtl) });
  }
}
