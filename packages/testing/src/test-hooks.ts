import type { Project } from '@fbs/core';
import type { TestDatabasesConfig } from './config';
import { setupTestDatabases, type TeardownOptions, type TestDatabases } from './test-databases';
import type { IsolateOptions, TestIsolation } from './test-isolation';

/** Per-test options without the title (the runner gives it). */
export type TestOptions = Omit<IsolateOptions, 'title'>;

/** What {@link createTestHooks} takes: the run's databases, and the options every test starts from. */
export interface TestHooksConfig extends TestDatabasesConfig {
  /** Defaults of every test (e.g. `{ databases: ['default', 'licensing'] }`); a test's own options win. */
  readonly defaults?: TestOptions;
}

/** Four calls to wire into any runner's hooks (vitest, jest, node:test, mocha). */
export interface TestHooks {
  /** Before all tests: creates the test databases. */
  setup(): Promise<TestDatabases>;
  /** Sets the options of the tests that start from now on (e.g. at the top of a vitest file, whose setup file runs per file). */
  use(options: TestOptions): void;
  /** Before each test: starts its isolation (`options` win over `use()` and the defaults). */
  begin(title: string, options?: TestOptions): Promise<TestIsolation>;
  /** After each test: undoes it. */
  end(): Promise<void>;
  /** After all tests: drops the test databases (and the templates with `{ templates: true }`). */
  teardown(options?: TeardownOptions): Promise<void>;
  /** The run's test databases (after `setup()`). */
  readonly databases: TestDatabases;
  /** The user's project on the test databases (after `setup()`). */
  readonly project: Project;
}

/**
 * The framework-agnostic hooks. With vitest:
 *
 * @example
 * ```ts
 * const hooks = createTestHooks({ databases, project: createAppProject, defaults: { databases: ['default'] } });
 * beforeAll(() => hooks.setup());
 * beforeEach((context) => hooks.begin(context.task.name));
 * afterEach(() => hooks.end());
 * afterAll(() => hooks.teardown());
 * ```
 */
export function createTestHooks(config: TestHooksConfig): TestHooks {
  let databases: TestDatabases | undefined;
  let current: TestIsolation | undefined;
  let using: TestOptions = {};
  const ready = (): TestDatabases => {
    if (databases === undefined) throw new Error('@fbs/testing: the test databases are not set up yet; call setup() in a before-all hook first.');
    return databases;
  };
  return {
    async setup() {
      databases ??= await setupTestDatabases(config);
      return databases;
    },
    use(options) {
      using = { ...options };
    },
    async begin(title, options = {}) {
      if (current && !current.ended) await current.end();
      current = await ready().isolate({ ...config.defaults, ...using, ...options, title });
      return current;
    },
    async end() {
      const test = current;
      current = undefined;
      await test?.end();
    },
    async teardown(options) {
      const done = databases;
      databases = undefined;
      await done?.teardown(options);
    },
    get databases() {
      return ready();
    },
    get project() {
      return ready().project;
    },
  };
}
