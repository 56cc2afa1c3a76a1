import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'sequelize';
import { ConsistencySession } from './consistency-session';
import type { RoutingHints } from './router';

/** One routing scope: what every decision inside it sees. */
export interface Scope {
  readonly hints: RoutingHints;
  readonly transactions: ReadonlyMap<string, Transaction> | undefined;
  /** The read-your-writes session of the context (shared by its nested scopes). */
  readonly session: ConsistencySession;
  /** Inside `pinPrimary`: reads go to the primaries. */
  readonly pinned: boolean;
}

const NO_HINTS: RoutingHints = Object.freeze({});

/**
 * The ambient context of routing decisions, kept in one AsyncLocalStorage per project: the hints
 * of `withHints`/`withSolution` scopes, the transaction open on each database alias, the
 * read-your-writes session and primary pins. Nested scopes merge over their parent and restore it
 * on exit; concurrent async work never sees another scope's values. Code outside every
 * `withContext` shares the project's session.
 */
export class RoutingScope {
  readonly #storage = new AsyncLocalStorage<Scope>();
  readonly #root: Scope = { hints: NO_HINTS, transactions: undefined, session: new ConsistencySession(), pinned: false };

  /** The current scope (the project's root scope outside any). */
  state(): Scope {
    return this.#storage.getStore() ?? this.#root;
  }

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
    const parent = this.state();
    return this.#storage.run({ ...parent, hints: Object.freeze({ ...parent.hints, ...hints }) }, fn);
  }

  /** Runs `fn` with `transaction` as the open transaction of `alias`. */
  withTransaction<T>(alias: string, transaction: Transaction, fn: () => T): T {
    const parent = this.state();
    const transactions = new Map(parent.transactions ?? []);
    transactions.set(alias, transaction);
    return this.#storage.run({ ...parent, transactions }, fn);
  }

  /** Runs `fn` as a new read-your-writes context (`session`, fresh by default), keeping hints and transactions. */
  withSession<T>(fn: () => T, session = new ConsistencySession()): T {
    return this.#storage.run({ ...this.state(), session }, fn);
  }

  /** Runs `fn` with reads pinned to the primaries; an inner pin ending leaves the outer one in force. */
  withPin<T>(fn: () => T): T {
    return this.#storage.run({ ...this.state(), pinned: true }, fn);
  }
}
