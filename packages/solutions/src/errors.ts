import { FbsError } from '@fbs/core';

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

/** Quotes a value for an error message, showing invisible and look-alike characters as escapes. */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : `(${typeof value})`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
