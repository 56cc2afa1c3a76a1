import type { MoveJournal, SolutionState } from './catalogue';

/** A solution as `create()`, `info()` and `records()` return it. */
export interface SolutionInfo {
  readonly name: string;
  readonly state: SolutionState;
  /** Database names (also their aliases) keyed by kind. */
  readonly databases: Readonly<Record<string, string>>;
  /** The server of each database, keyed by kind (`{ djo: 'pg1', fbs: 'pg1' }`; `default` without `servers` in the config). */
  readonly servers: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** Set while a move is under way or was interrupted (rerun `move()` to finish or revert it). */
  readonly move?: MoveJournal;
}
