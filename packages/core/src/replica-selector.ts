import type { WriteMark } from './consistency-session';
import type { WalPosition } from './wal-position';

/** Health of one replica as last seen: `unknown` before the first check. */
export type ReplicaHealth = 'unknown' | 'up' | 'lagging' | 'down';

/** What the SDK knows about one replica (updated by the health checks, read by every decision). */
export interface ReplicaState {
  /** The replica's alias, `default@replica1`. */
  readonly alias: string;
  health: ReplicaHealth;
  /** `pg_last_wal_replay_lsn()` at the last check (0 before it): a lower bound of what it has replayed. */
  replayed: WalPosition;
  /** Replay lag behind the primary at the last check, in ms (undefined before it). */
  lagMs: number | undefined;
  /** Why it is down, without secrets. */
  error: string | undefined;
  /** When it was last checked (ms since the epoch, 0: never). */
  checkedAt: number;
  /** When a down replica is tried again. */
  retryAt: number;
  /** The current backoff of a down replica, doubled on each failed retry. */
  backoffMs: number;
}

/**
 * The one place that decides where a routed read of a database with replicas goes. Asked per read,
 * so it is allocation-free and makes no I/O: health and replay positions come from the cached
 * {@link ReplicaState}s that the health checks refresh.
 *
 * A replica is eligible when it is `up` (not down, not lagging more than maxLagMs) and, if the
 * context wrote to this database, has replayed the context's write mark; a mark whose position is
 * unknown keeps reads on the primary for `windowMs` after the write. Eligible replicas are used
 * round-robin; undefined means the primary.
 */
export class ReplicaSelector {
  readonly states: readonly ReplicaState[];
  readonly #windowMs: number;
  #next = 0;
  /** Called when a read stayed on the primary only because the cached replay positions are behind the mark. */
  onBehind: () => void = () => undefined;

  constructor(aliases: readonly string[], windowMs: number) {
    this.states = aliases.map((alias) => ({ alias, health: 'unknown', replayed: 0, lagMs: undefined, error: undefined, checkedAt: 0, retryAt: 0, backoffMs: 0 }));
    this.#windowMs = windowMs;
  }

  /** The replica a read should use (undefined: the primary). `skip` is a replica that just failed this read. */
  pick(mark: WriteMark | undefined, skip?: ReplicaState): ReplicaState | undefined {
    const states = this.states;
    const n = states.length;
    let need = 0;
    if (mark !== undefined) {
      need = mark.lsn;
      if (need === Infinity) {
        if (mark.pending > 0 || Date.now() - mark.at < this.#windowMs) return undefined;
        need = 0;
      }
    }
    let behind = false;
    for (let i = 0; i < n; i++) {
      const state = states[(this.#next + i) % n]!;
      if (state.health !== 'up' || state === skip) continue;
      if (state.replayed < need) {
        behind = true;
        continue;
      }
      this.#next = (this.#next + i + 1) % n;
      return state;
    }
    if (behind) this.onBehind();
    return undefined;
  }

  /** The state of replica `alias`, if it is one of these. */
  state(alias: string): ReplicaState | undefined {
    return this.states.find((s) => s.alias === alias);
  }
}
