import type { Transaction } from 'sequelize';
import { ConfigurationError } from './errors';
import { isFinished } from './sequelize-internals';

/** A check asked before every query and transaction on a database alias; it throws to refuse the call. */
export type AliasGuard = (alias: string, what: 'query' | 'transaction') => void;

/**
 * Per-project hooks for test harnesses (e.g. `@fbs/testing`), reached as `project.access`:
 *
 * - an **outer transaction per alias**: while one is set, every routed query and transaction on that
 *   alias joins it, from any async context (a test's `beforeEach` and its body run in different
 *   ones), unless a `project.transaction` scope is open (its calls join that, a savepoint inside the
 *   outer one). `project.transaction(alias, …)` and `sequelize.transaction()` become savepoints.
 *   Rolling the outer transaction back undoes everything the code committed on that alias.
 * - **alias guards**: asked before every query and transaction the project's Sequelize instances run
 *   (routed, raw and migration ones); a guard throws to refuse (Django's `DatabaseOperationForbidden`).
 *
 * Production code does not use it: an outer transaction serialises the alias on one connection.
 *
 * @example
 * ```ts
 * const outer = await project.connection('default').transaction();
 * project.access.setOuterTransaction('default', outer);
 * const stop = project.access.addGuard((alias) => {
 *   if (alias !== 'default') throw new Error(`no queries to '${alias}' in this test`);
 * });
 * // … the test …
 * stop();
 * project.access.setOuterTransaction('default', undefined);
 * await outer.rollback();
 * ```
 */
export class AliasAccess {
  readonly #outer = new Map<string, Transaction>();
  readonly #guards: AliasGuard[] = [];

  /**
   * Sets (or, with `undefined`, clears) the transaction every call on `alias` joins. The caller
   * owns it: the project never commits or rolls it back.
   */
  setOuterTransaction(alias: string, transaction: Transaction | undefined): void {
    if (typeof alias !== 'string' || alias === '') throw new ConfigurationError(`setOuterTransaction() needs an alias, got ${JSON.stringify(alias)}.`);
    if (transaction === undefined) this.#outer.delete(alias);
    else this.#outer.set(alias, transaction);
  }

  /** The outer transaction of `alias`, while set and not finished. */
  outerTransaction(alias: string): Transaction | undefined {
    const transaction = this.#outer.get(alias);
    return transaction === undefined || isFinished(transaction) ? undefined : transaction;
  }

  /** Adds a guard asked before every query and transaction on any alias. Returns a remover. */
  addGuard(guard: AliasGuard): () => void {
    if (typeof guard !== 'function') throw new ConfigurationError(`addGuard() needs a function (alias, what) => void, got ${typeof guard}.`);
    this.#guards.push(guard);
    return () => {
      const index = this.#guards.indexOf(guard);
      if (index >= 0) this.#guards.splice(index, 1);
    };
  }

  /** Runs every guard for a call on `alias`; throws what a guard throws. */
  check(alias: string, what: 'query' | 'transaction'): void {
    for (const guard of this.#guards) guard(alias, what);
  }
}
