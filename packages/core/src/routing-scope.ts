import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'sequelize';
import type { RoutingHints } from './router';

interface Scope {
  readonly hints: RoutingHints;
  readonly transactions: ReadonlyMap<string, Transaction> | undefined;
}

const NO_HINTS: RoutingHints = Object.freeze({});

/**
 * The ambient context of routing decisions, kept in one AsyncLocalStorage per project: the hints
 * of `withHints`/`withSolution` scopes, and the transaction open on each database alias.
 * Nested scopes merge over their parent and restore it on exit; concurrent async work never sees
 * another scope's values.
 */
export class RoutingScope {
  readonly #storage = new AsyncLocalStorage<Scope>();

  /** The hints of the current scope (a frozen object; empty outside any scope). */
  hints(): RoutingHints {
    return this.#storage.getStore()?.hints ?? NO_HINTS;
  }

  /** The transaction open on `alias` in the current scope, if any. */
  transaction(alias: string): Transaction | undefined {
    return this.#storage.getStore()?.transactions?.get(alias);
  }

  /** Runs `fn` with `hints` merged over the current scope's hints. */
  withHints<T>(hints: RoutingHints, fn: () => T): T {
    const parent = this.#storage.getStore();
    const merged = Object.freeze({ ...(parent?.hints ?? NO_HINTS), ...hints });
    return this.#storage.run({ hints: merged, transactions: parent?.transactions }, fn);
  }

  /** Runs `fn` with `transaction` as the open transaction of `alias`. */
  withTransaction<T>(alias: string, transaction: Transaction, fn: () => T): T {
    const parent = this.#storage.getStore();
    const transactions = new Map(parent?.transactions ?? []);
    transactions.set(alias, transaction);
    return this.#storage.run({ hints: parent?.hints ?? NO_HINTS, transactions }, fn);
  }
}
