import type { Project } from '@fbs/core';
import { workerId } from './config';
import type { TestDatabases } from './test-databases';
import { createTestHooks, type TestHooks, type TestHooksConfig, type TestOptions } from './test-hooks';

const OPTIONS = Symbol.for('fbs.testing.options');

/** A mocha suite or test (structural: no dependency on @types/mocha). */
export interface MochaRunnable {
  parent?: MochaRunnable;
  fullTitle?(): string;
}

/** The root hooks object mocha reads from `exports.mochaHooks`. */
export interface FbsMochaHooks {
  beforeAll(this: { timeout?(ms: number): void }): Promise<void>;
  beforeEach(this: { currentTest?: MochaRunnable; timeout?(ms: number): void }): Promise<void>;
  afterEach(): Promise<void>;
  afterAll(this: { timeout?(ms: number): void }): Promise<void>;
}

let active: TestHooks | undefined;

/**
 * Declares what a suite (`this` inside `describe`) or one test (the value `it()` returns) may use:
 * its databases (an array or `'__all__'`), or full options (isolation, fixtures, solutions). The
 * nearest declaration wins, key by key.
 *
 * @example
 * ```ts
 * describe('licenses', function () {
 *   useDatabases(this, ['default', 'licensing']);
 *   useDatabases(it('commits for real', async () => { … }), { isolation: 'truncate' });
 * });
 * ```
 */
export function useDatabases(target: MochaRunnable, options: readonly string[] | '__all__' | TestOptions): void {
  if (!target || typeof target !== 'object') throw new TypeError('useDatabases(target, …): pass `this` inside describe(), or the test it() returns.');
  (target as { [OPTIONS]?: TestOptions })[OPTIONS] = Array.isArray(options) || options === '__all__' ? { databases: options as readonly string[] | '__all__' } : (options as TestOptions);
}

/** The options of a test: its suites' declarations, outermost first, then its own. */
function optionsOf(test: MochaRunnable | undefined): TestOptions {
  const chain: TestOptions[] = [];
  for (let node = test; node; node = node.parent) {
    const own = (node as { [OPTIONS]?: TestOptions })[OPTIONS];
    if (own) chain.unshift(own);
  }
  return Object.assign({}, ...chain);
}

/**
 * The mocha root-hooks plugin: test databases for the run (before all), one isolation per test
 * (before/after each), teardown (after all; templates are dropped too unless keepdb, or when a
 * parallel worker runs it). Put it in a file mocha requires:
 *
 * @example
 * ```ts
 * // test/setup.ts, in .mocharc: require: ['ts-node/register', 'test/setup.ts']
 * import { createMochaHooks } from '@fbs/testing/mocha';
 * export const mochaHooks = createMochaHooks({ databases: appDatabases(), project: createAppProject });
 * ```
 */
export function createMochaHooks(config: TestHooksConfig): FbsMochaHooks {
  const hooks = createTestHooks(config);
  return {
    async beforeAll() {
      this.timeout?.(120_000);
      await hooks.setup();
      active = hooks;
    },
    async beforeEach() {
      this.timeout?.(30_000);
      await hooks.begin(this.currentTest?.fullTitle?.() ?? '(unnamed test)', optionsOf(this.currentTest));
    },
    async afterEach() {
      await hooks.end();
    },
    async afterAll() {
      this.timeout?.(120_000);
      active = undefined;
      await hooks.teardown({ templates: workerId() === undefined });
    },
  };
}

/** The run's test databases (inside tests and hooks of a run using {@link createMochaHooks}). */
export function testDatabases(): TestDatabases {
  if (active === undefined) throw new Error('@fbs/testing/mocha: no test databases; is the module exporting createMochaHooks(…) as mochaHooks in .mocharc `require`?');
  return active.databases;
}

/** The user's project on the test databases. */
export function testProject(): Project {
  return testDatabases().project;
}

export type { TestHooksConfig, TestOptions } from './test-hooks';
