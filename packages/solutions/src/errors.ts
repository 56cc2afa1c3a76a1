import { FbsError } from '@fbs/core';
import type { ProvisionedVia } from './events';

/**
 * A solution name that does not match the documented pattern. Raised before any SQL runs.
 *
 * @example
 * ```ts
 * try { await solutions.create('Acme Corp') } catch (e) { if (e instanceof InvalidSolutionNameError) … }
 * ```
 */
export class InvalidSolutionNameError extends FbsError {
  readonly solution: unknown;
  constructor(name: unknown, reason: string) {
    super('FBS_INVALID_SOLUTION_NAME', `Invalid solution name ${describeValue(name)}: ${reason}`);
    this.solution = name;
  }
}

/** A solution that is not in the catalogue (or not finished) was asked for. */
export class UnknownSolutionError extends FbsError {
  readonly solution: string;
  constructor(name: string, hint: string) {
    super('FBS_UNKNOWN_SOLUTION', `Unknown solution '${name}': ${hint}`);
    this.solution = name;
  }
}

/** `drop(name)` without `{ confirm: name }`. Nothing was dropped. */
export class ConfirmationRequiredError extends FbsError {
  readonly solution: string;
  constructor(name: string) {
    super(
      'FBS_CONFIRMATION_REQUIRED',
      `Dropping solution '${name}' deletes its databases and all their data. ` +
        `Confirm by passing { confirm: '${name}' } (CLI: --confirm ${name}). Nothing was dropped.`,
    );
    this.solution = name;
  }
}

/** A solution is in a state that does not allow the call (e.g. being dropped, or a foreign database in the way). */
export class SolutionStateError extends FbsError {
  readonly solution: string;
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super('FBS_SOLUTION_STATE', message, options);
    this.solution = name;
  }
}

/**
 * A role the solution needs exists but was not created by @fbs/solutions (it carries no marker of
 * this solution): the SDK never alters or drops it. Raised before anything is changed.
 */
export class RoleOwnershipError extends FbsError {
  /** The role in the way. */
  readonly role: string;
  readonly solution: string;
  constructor(role: string, solution: string, marker: string) {
    super(
      'FBS_ROLE_NOT_OWNED',
      `Role '${role}' of solution '${solution}' already exists and was not created by @fbs/solutions, so it is left as it is (nothing was changed). ` +
        `Rename or drop that role, or set roles.name to a template that does not produce it. ` +
        `If @fbs/solutions did create it (a version that did not mark its roles), mark it: COMMENT ON ROLE "${role}" IS '${marker}';`,
    );
    this.role = role;
    this.solution = solution;
  }
}

/**
 * An instance loaded from one solution's database was saved, reloaded or destroyed inside another
 * solution's scope (`withSolution`). Nothing was sent to either database.
 */
export class CrossSolutionError extends FbsError {
  /** The solution the instance belongs to, and the one of the current scope. */
  readonly solutions: readonly [instance: string, scope: string];
  constructor(model: string, database: string, instanceSolution: string, scopeSolution: string, target: string) {
    super(
      'FBS_CROSS_SOLUTION',
      `${model} was loaded from '${database}' (solution '${instanceSolution}') but is used inside withSolution('${scopeSolution}'): ` +
        `a row stays in its solution. Save, reload or destroy it inside withSolution('${instanceSolution}'); ` +
        `to copy it into solution '${scopeSolution}' on purpose, use project.using('${target}', ${model}).`,
    );
    this.solutions = [instanceSolution, scopeSolution];
  }
}

/** No connection slot under the pool cap became free in time (every solution pool was busy). */
export class PoolCapTimeoutError extends FbsError {
  readonly alias: string;
  constructor(alias: string, cap: number, waitedMs: number) {
    super(
      'FBS_POOL_CAP_TIMEOUT',
      `Database '${alias}': no connection slot under the solution pool cap (${cap}) became free within ${waitedMs} ms; ` +
        `every solution pool was busy. Raise pool.maxConnections, lower pool.perSolution, or shorten long transactions.`,
    );
    this.alias = alias;
  }
}

/** What a `create()` stopped by its signal had done, per database of the solution. */
export interface AbortedCreation {
  /** The step it stopped in (or before), e.g. `migrating djo_acme_db, fbs_acme_db`. */
  readonly step: string;
  /** Whether the catalogue row (state `creating`) exists, i.e. the solution was begun. */
  readonly begun: boolean;
  /** Database → how it exists now (`template`, `empty`: created by this call; `existing`: it was there). */
  readonly databases: Readonly<Record<string, ProvisionedVia>>;
  /** Database → migrations this call applied and committed there, in order. */
  readonly applied: Readonly<Record<string, readonly string[]>>;
  /** Database → migrations it was to apply and did not (the one in flight was rolled back). */
  readonly pending: Readonly<Record<string, readonly string[]>>;
}

/**
 * `create()` was stopped by its `signal` (the CLI: SIGINT/SIGTERM). It stopped after the current
 * step: a migration in flight was rolled back, locks were released. The solution is not ready;
 * `create()` again (`fbs-solutions create NAME`) finishes it from where it stopped.
 *
 * @example
 * ```ts
 * try { await solutions.create('acme', { signal }) } catch (e) { if (e instanceof SolutionAbortedError) console.log(e.done.applied) }
 * ```
 */
export class SolutionAbortedError extends FbsError {
  readonly solution: string;
  /** What was done, and what was not. */
  readonly done: AbortedCreation;
  constructor(name: string, done: AbortedCreation, options?: { cause?: unknown }) {
    super('FBS_SOLUTION_ABORTED', abortedMessage(name, done), options);
    this.solution = name;
    this.done = done;
  }
}

function abortedMessage(name: string, done: AbortedCreation): string {
  const list = (record: Readonly<Record<string, readonly string[]>>) =>
    Object.entries(record).filter(([, names]) => names.length).map(([db, names]) => `${db}: ${names.join(', ')}`).join('; ');
  const databases = Object.entries(done.databases).map(([db, via]) => `${db} (${via === 'existing' ? 'already there' : via})`).join(', ');
  const parts = [`Creating solution '${name}' was interrupted (step: ${done.step})`];
  if (!done.begun && !databases) parts.push('nothing of the solution was created yet');
  else {
    parts.push(`it is not ready (state 'creating')`);
    parts.push(`databases: ${databases || 'none created yet'}`);
    parts.push(`applied: ${list(done.applied) || 'nothing'}`);
    const pending = list(done.pending);
    if (pending) parts.push(`not applied (a migration in flight was rolled back): ${pending}`);
  }
  const again = done.begun ? 'again to finish it' : 'again to create it';
  return `${parts.join('; ')}. Run \`fbs-solutions create ${name}\` (API: create('${name}')) ${again}.`;
}

/** Quotes a value for an error message, showing invisible and look-alike characters as escapes. */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : `(${typeof value})`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A solution is being moved to another server and its writes are frozen for a moment (or it has
 * just moved and this process pointed it at its new server). Nothing of the call was committed by
 * this error; retry it (`retryable` is true), e.g. after `retryAfterMs`.
 *
 * @example
 * ```ts
 * try { await solutions.withSolution('acme', save) } catch (e) { if (e instanceof SolutionMovingError) await retryLater(save) }
 * ```
 */
export class SolutionMovingError extends FbsError {
  readonly solution: string;
  readonly retryable = true;
  readonly retryAfterMs: number;
  constructor(solution: string, reason: string, retryAfterMs = 500, cause?: unknown) {
    super('FBS_SOLUTION_MOVING', `Solution '${solution}' ${reason}; retry the call (nothing of it was committed by this error).`, cause === undefined ? undefined : { cause });
    this.solution = solution;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A move that cannot start or go on (unknown target, missing pg_dump, verification mismatch); says what was left where. */
export class SolutionMoveError extends FbsError {
  readonly solution: string;
  constructor(solution: string, message: string, cause?: unknown) {
    super('FBS_SOLUTION_MOVE', message, cause === undefined ? undefined : { cause });
    this.solution = solution;
  }
}

/** A server of solutions did not answer; only the solutions with a database there failed. */
export class ServerUnavailableError extends FbsError {
  readonly server: string;
  constructor(server: string, cause: Error) {
    super('FBS_SERVER_UNAVAILABLE', `Server '${server}' is unavailable (${cause.message}); its solutions were not migrated. Start it (or fix its URL) and run the command again.`, { cause });
    this.server = server;
  }
}
