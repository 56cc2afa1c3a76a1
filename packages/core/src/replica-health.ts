import { connectionFailureKind } from './errors';
import type { ReplicaSelector, ReplicaState } from './replica-selector';
import { parseWalPosition, type WalPosition } from './wal-position';

/** How the health checks reach the servers (plain queries returning one row). */
export interface HealthQueries {
  primary(sql: string): Promise<Record<string, unknown>>;
  replica(alias: string, sql: string): Promise<Record<string, unknown>>;
}

/** Timing of the health checks. */
export interface HealthTiming {
  readonly maxLagMs: number;
  /** Interval of the background checks (ms). */
  readonly pollMs: number;
  /** First retry delay of a down replica (ms), doubled up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Least time between two checks triggered by reads waiting for a replica to catch up (ms). */
  readonly catchUpMs: number;
}

const REPLICA_SQL =
  'SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replayed, ' +
  '(extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS since_replay';
const PRIMARY_SQL = 'SELECT pg_current_wal_lsn()::text AS lsn';

/**
 * Keeps the {@link ReplicaState}s of one primary fresh: every `pollMs` (and sooner when reads wait
 * for a replica to catch up) it reads the primary's WAL position and each replica's replay
 * position. Lag is the age of the oldest primary position a replica has not replayed, so an idle
 * primary shows no lag. A replica that fails a check, is not a standby, or fails a read is `down`
 * and retried with exponential backoff; one lagging more than maxLagMs is `lagging`. Timers are
 * unref'd and stop with {@link stop}.
 */
export class ReplicaMonitor {
  readonly #selector: ReplicaSelector;
  readonly #queries: HealthQueries;
  readonly #timing: HealthTiming;
  readonly #samples: { at: number; lsn: WalPosition }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #lastRun = 0;
  #first: { at: number; lsn: WalPosition } | undefined;
  #stopped = false;

  constructor(selector: ReplicaSelector, queries: HealthQueries, timing: HealthTiming) {
    this.#selector = selector;
    this.#queries = queries;
    this.#timing = timing;
    selector.onBehind = () => {
      if (this.#inFlight === undefined && Date.now() - this.#lastRun >= timing.catchUpMs) void this.refresh();
    };
  }

  /** Starts the background checks (idempotent) and runs the first one now. */
  start(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => void this.refresh(), this.#timing.pollMs);
    this.#timer.unref();
    void this.refresh();
  }

  /** Checks the primary and every replica due for a check; concurrent callers share one round. */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#round().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Marks a replica down after a failed read or check: skipped until its retry time. */
  markDown(state: ReplicaState, error: unknown): void {
    const now = Date.now();
    state.health = 'down';
    state.error = describe(error);
    state.checkedAt = now;
    state.backoffMs = state.backoffMs === 0 ? this.#timing.backoffMs : Math.min(state.backoffMs * 2, this.#timing.maxBackoffMs);
    state.retryAt = now + state.backoffMs;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #round(): Promise<void> {
    this.#lastRun = Date.now();
    const primary = await this.#queries.primary(PRIMARY_SQL).then((row) => parseWalPosition(String(row.lsn)), () => undefined);
    const now = Date.now();
    if (primary !== undefined) this.#sample(now, primary);
    const due = this.#selector.states.filter((s) => s.health !== 'down' || s.retryAt <= now);
    await Promise.all(due.map((state) => this.#check(state)));
  }

  async #check(state: ReplicaState): Promise<void> {
    try {
      const row = await this.#queries.replica(state.alias, REPLICA_SQL);
      if (row.recovery !== true || row.replayed === null) throw new Error('the server is not a standby in recovery (promoted, or not a replica): reads skip it');
      const replayed = parseWalPosition(String(row.replayed));
      const now = Date.now();
      if (replayed > state.replayed) state.replayed = replayed;
      state.lagMs = this.#lag(now, state.replayed, row.since_replay as number | null);
      state.checkedAt = now;
      state.error = undefined;
      state.backoffMs = 0;
      state.health = state.lagMs > this.#timing.maxLagMs ? 'lagging' : 'up';
    } catch (error) {
      if (state.health === 'down' && state.retryAt > Date.now()) return;
      this.markDown(state, error);
    }
  }

  #sample(now: number, lsn: WalPosition): void {
    const last = this.#samples[this.#samples.length - 1];
    if (last === undefined || lsn > last.lsn) this.#samples.push({ at: now, lsn });
    this.#first ??= this.#samples[0];
    // Keep what a lagging replica may still need, but not forever.
    const horizon = now - Math.max(60_000, this.#timing.maxLagMs * 4);
    while (this.#samples.length > 1 && this.#samples[1]!.at < horizon) this.#samples.shift();
  }

  /**
   * Age of the oldest primary position (sampled) that `replayed` has not reached; 0 when caught up.
   * When even the first sample is ahead (just started: when the replica fell behind is unknown),
   * the time since it last replayed a commit bounds it.
   */
  #lag(now: number, replayed: WalPosition, sinceReplay: number | null): number {
    for (const [i, sample] of this.#samples.entries()) {
      if (sample.lsn <= replayed) continue;
      const sampled = now - sample.at;
      return i === 0 && this.#first === sample && sinceReplay !== null ? Math.max(sampled, Math.round(sinceReplay)) : sampled;
    }
    return 0;
  }
}

function describe(error: unknown): string {
  const kind = connectionFailureKind(error);
  const message = error instanceof Error ? error.message : String(error);
  return kind === undefined ? message : `${kind}: ${message}`;
}
