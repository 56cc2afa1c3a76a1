import type { SeedReport } from '@fbs/migrate';
import type { SolutionRecord } from './catalogue';
import type { CreateOptions, DropOptions, MigrateAllOptions } from './config';
import { ConfirmationRequiredError } from './errors';
import { migrateSolutions, type MigrateAllReport } from './migrate-all';
import { movedAway, type PlacementCheck } from './moved-away';
import { OneAtATime } from './one-at-a-time';
import { runEachSolution, type RunEachOptions, type RunEachReport, type SolutionTask } from './run-each';
import { seedEachSolution, type SeedEachOptions } from './seed-each';
import type { SolutionInfo } from './solution-info';
import { createSolution, dropSolution } from './solution-lifecycle';
import { moveSolution, type MoveOptions, type MoveReport } from './solution-move';
import { SolutionQueries } from './solution-queries';

/**
 * The lifecycle of solution (tenant) databases on a project: `create`, `drop`, `list`, `migrateAll`,
 * `withSolution`. Each solution has one database per kind (`djo_{name}_db`, `fbs_{name}_db`), whose
 * names are also their aliases; they resolve lazily on the project, pooled under a global cap.
 * Implements `SolutionTargets` of `@fbs/migrate` (`list`, `databases`) for `fbs-migrate --all-solutions`.
 *
 * @example
 * ```ts
 * const solutions = new SolutionManager(project, { pool: { maxConnections: 40 } });
 * await solutions.create('acme_corp');            // djo_acme_corp_db + fbs_acme_corp_db, migrated
 * await solutions.withSolution('acme_corp', () => project.model(Preference).create({ key: 'theme' }));
 * await solutions.drop('acme_corp', { confirm: 'acme_corp' });
 * await solutions.close();
 * ```
 */
export class SolutionManager extends SolutionQueries {
  /** Calls for one solution run one at a time in this process (and under an advisory lock across processes). */
  readonly #serial = new OneAtATime();
  #closed = false;

  /**
   * Creates solution `name`: both databases (cloned from templates, else migrated), role and
   * catalogue entry. Idempotent; finishes a creation that was interrupted (also one stopped by
   * `options.signal`, which throws a `SolutionAbortedError` saying what was done).
   *
   * @example
   * ```ts
   * const info = await solutions.create('acme_corp'); // { name, state: 'ready', databases: { djo, fbs }, servers, createdAt }
   * await solutions.create('big_client', { server: 'pg3' }); // on pg3, whatever the placement policy says
   * ```
   */
  async create(name: string, options: CreateOptions = {}): Promise<SolutionInfo> {
    return this.#exclusive(name, (solution) => createSolution(this.parts.lifecycle, solution, options));
  }

  /**
   * Drops solution `name` (both databases, role, aliases, catalogue entry). Needs `{ confirm: name }`.
   *
   * @example
   * ```ts
   * await solutions.drop('acme_corp', { confirm: 'acme_corp' });
   * ```
   */
  async drop(name: string, options: DropOptions = {}): Promise<void> {
    const solution = this.validate(name);
    if (options?.confirm !== solution) throw new ConfirmationRequiredError(solution);
    await this.#exclusive(solution, (valid) => dropSolution(this.parts.lifecycle, valid));
  }

  /**
   * Runs `fn` with the hints of solution `name` (`project.withSolution`), after making sure its
   * aliases resolve: routed models of solution apps go to its databases.
   *
   * @example
   * ```ts
   * const partners = await solutions.withSolution('acme_corp', () => project.model(Partner).findAll());
   * ```
   */
  async withSolution<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const solution = await this.known(name);
    const { freeze, directory } = this.parts;
    const exit = await freeze.enter(solution);
    const used = directory.placement(solution);
    try {
      return await this.project.withSolution(solution, fn);
    } catch (error) {
      // Moved by another process (its source read-only, or gone): point the aliases at the new server.
      throw (await movedAway(error, solution, () => directory.recheck(solution, used))) ?? error;
    } finally {
      exit();
    }
  }

  /**
   * Re-reads a solution's catalogue entry and points its aliases at the servers recorded there
   * (after another process moved it): `'moved'` when they changed, `'moving'` while a move is under way.
   *
   * @example
   * ```ts
   * await solutions.refresh('acme'); // 'unchanged'
   * ```
   */
  async refresh(name: string): Promise<PlacementCheck> {
    const solution = this.validate(name);
    const { directory } = this.parts;
    await directory.ready();
    return directory.recheck(solution, directory.placement(solution));
  }

  /**
   * Migrates every ready solution (or `solutions`) with bounded concurrency; one failure does not stop or corrupt the others.
   * `options.signal` stops it after the current migration of each database: the report has `aborted: true`.
   *
   * @example
   * ```ts
   * const report = await solutions.migrateAll({ concurrency: 4 });
   * for (const s of report.solutions) if (s.error) console.error(s.name, s.error.message);
   * ```
   */
  async migrateAll(options: MigrateAllOptions = {}): Promise<MigrateAllReport> {
    const names = await this.selected(options.solutions);
    const targets = await this.servers.migrateTargets();
    return migrateSolutions(this, await this.migrator(), names, { concurrency: options.concurrency, signal: options.signal, ...targets }, this.config.plugins ?? []);
  }

  /**
   * Runs `task` once per ready solution (or `options.solutions`) inside its `withSolution`, with
   * bounded concurrency (Laravel's `tenants:run`); by default no solution starts after a failure.
   *
   * @example
   * ```ts
   * const report = await solutions.runEach(({ solution }) => project.model(Preference).count(), { concurrency: 4, continueOnError: true });
   * for (const s of report.solutions) console.log(s.name, s.outcome, s.result ?? s.error?.message);
   * ```
   */
  async runEach<R>(task: SolutionTask<R>, options: RunEachOptions<R> = {}): Promise<RunEachReport<R>> {
    const names = await this.selected(options.solutions && [...new Set(options.solutions)]);
    const host = { project: this.project, databasesOf: (s: string) => this.naming.databases(s), withSolution: <T>(s: string, fn: () => T | Promise<T>) => this.project.withSolution(s, fn) };
    return runEachSolution(host, names, task, options);
  }

  /**
   * The project's seeds on every (or each named) solution's databases, via {@link runEach} (Laravel's `tenants:seed`).
   *
   * @example
   * ```ts
   * const report = await solutions.seedEach({ solutions: ['acme_corp'], apps: ['billing'] });
   * ```
   */
  seedEach(options: SeedEachOptions = {}): Promise<RunEachReport<SeedReport>> {
    return seedEachSolution(this, options);
  }

  /**
   * Moves solution `name` to server `options.to` (pg_dump | pg_restore under a write freeze,
   * verified by row counts and checksums before the catalogue switches; the source is dropped only
   * after). Rerun after an interruption: it finishes or reverts what the journal says. See docs/servers.md.
   *
   * @example
   * ```ts
   * const report = await solutions.move('acme', { to: 'pg2' }); // { from, to, tables, frozenMs, totalMs }
   * ```
   */
  async move(name: string, options: MoveOptions): Promise<MoveReport> {
    const { lifecycle, freeze } = this.parts;
    return this.#exclusive(name, (solution) => moveSolution({ ...lifecycle, freeze }, solution, options));
  }

  /** Drops the template databases on every server (they are rebuilt on the next create). */
  async dropTemplates(): Promise<void> {
    for (const server of this.servers.registry.all()) await server.templates?.dropAll();
  }

  /**
   * Closes the admin connections and the idle timer; solution pools close with the project. Idempotent.
   *
   * @example
   * ```ts
   * await solutions.close();
   * await project.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.parts.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Runs `fn` for the validated `name`, one call per solution at a time, once the catalogue is ready. */
  async #exclusive<T>(name: string, fn: (solution: string) => Promise<T>): Promise<T> {
    const solution = this.validate(name);
    return this.#serial.run(solution, async () => {
      await this.parts.directory.ready();
      return fn(solution);
    });
  }
}

export type { SolutionRecord };
