import { ConfigurationError } from './errors';
import type { RoutingHints } from './router';

/**
 * What `withSolution(name)` puts in scope: the config's `solutionHints` (default `{ solution }`)
 * over what providers add (a solution package's naming, e.g. `database`), after every guard
 * accepted the name. Core itself knows no solution naming.
 */
export class SolutionHints {
  readonly #base: (solution: string) => RoutingHints;
  readonly #guards: ((solution: string) => void)[] = [];
  readonly #providers: ((solution: string) => RoutingHints)[] = [];

  constructor(base: ((solution: string) => RoutingHints) | undefined) {
    this.#base = base ?? ((solution) => ({ solution }));
  }

  /** The hints of solution `name`; throws what a guard throws. */
  of(name: string): RoutingHints {
    if (typeof name !== 'string' || name === '') throw new ConfigurationError(`withSolution() needs a solution name, got ${JSON.stringify(name)}.`);
    for (const guard of this.#guards) guard(name);
    const own = this.#base(name);
    if (this.#providers.length === 0) return own;
    return Object.assign({}, ...this.#providers.map((provider) => provider(name)), own) as RoutingHints;
  }

  addGuard(guard: (solution: string) => void): () => void {
    if (typeof guard !== 'function') throw new ConfigurationError(`addSolutionGuard() needs a function (name) => void, got ${typeof guard}.`);
    return add(this.#guards, guard);
  }

  addProvider(provider: (solution: string) => RoutingHints): () => void {
    if (typeof provider !== 'function') throw new ConfigurationError(`addSolutionHints() needs a function (name) => hints, got ${typeof provider}.`);
    return add(this.#providers, provider);
  }
}

function add<T>(list: T[], item: T): () => void {
  list.push(item);
  return () => {
    const index = list.indexOf(item);
    if (index >= 0) list.splice(index, 1);
  };
}
