import type { SolutionState } from './catalogue';

/** A solution as `create()`, `info()` and `records()` return it. */
export interface SolutionInfo {
  readonly name: string;
  readonly state: SolutionState;
  /** Database names (also their aliases) keyed by kind. */
  readonly databases: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}
