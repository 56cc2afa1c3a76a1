import type { EventEmitter } from 'node:events';
import { DatabaseUnavailableError, FbsError, isConnectionFailure, type Project } from '@fbs/core';
import createDebug from 'debug';
import { Umzug, type MigrateDownOptions, type MigrateUpOptions, type RunnableMigration } from 'umzug';
import { dialectFor, type MigrationLock } from '@fbs/core/dialect';
import { MigrationAbortedError, MigrationLockedError, MigrationLockTimeoutError } from './errors';
import { openFencedSession, type FencedSession } from './fenced-session';
import { HistoryStore } from './history-store';
import { shouldFakeInitial } from './fake-initial';
import { applyMigration, type ApplyHost } from './migration-apply';
import type { MigrationEntry } from './migration-entry';
import type { MigratorEvents } from './types';

const log = createDebug('fbs:migrate');

/** What one database's run needs from its migrator. */
export interface RunnerHost {
  readonly project: Project;
  readonly historyTable: string;
  readonly events: EventEmitter<MigratorEvents>;
}

/** One `up`/`down` on one database. */
export interface DatabaseRunRequest {
  readonly direction: 'up' | 'down';
  /** The database's plan, in order. */
  readonly plan: readonly MigrationEntry[];
  readonly to?: string | 0;
  readonly step?: number;
  readonly wait: boolean;
  readonly lockTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** `all`: record (or, down, erase) each migration without running it; `initial`: so for an app's first migration when its tables exist. */
  readonly fake?: 'all' | 'initial';
}

/** What one database's run did: what committed, what was due and did not, and why it stopped early. */
export interface DatabaseRunResult {
  /** Names this run applied (or reverted) and committed, in order. */
  readonly done: string[];
  /** Of `done`, the names recorded (or erased) without running (`fake`). */
  readonly faked: string[];
  /** Names this run was to apply (or revert) and did not (empty when it finished). */
  readonly pending: string[];
  /** Why it stopped early: a failed migration, a lost or busy lock, an abort, an unavailable database. */
  readonly error?: Error;
}

/**
 * Runs `up` or `down` on one database with one Umzug: the plan as umzug's migrations, the history
 * table as its storage, the advisory lock taken on `beforeCommand` and released on `afterCommand`,
 * each migration applied exactly once under its fence ({@link applyMigration}). Never throws for
 * what happens on the database: the result lists what committed, even when it stopped early.
 */
export async function runDatabase(host: RunnerHost, alias: string, request: DatabaseRunRequest): Promise<DatabaseRunResult> {
  const { project, events } = host;
  const { direction, plan, signal } = request;
  const options = umzugOptions(request);
  if (options === undefined) return { done: [], faked: [], pending: [] };
  const sequelize = project.connection(alias);
  const address = project.connections.describe(alias);
  const config = project.connections.config(alias);
  const adapter = dialectFor(config.dialect, `Database '${alias}'`).adapter;
  const history = new HistoryStore(sequelize, adapter, host.historyTable);
  const done: string[] = [];
  const faked: string[] = [];
  const initial = new Set(plan.filter((e, i) => plan.findIndex((o) => o.appLabel === e.appLabel) === i).map((e) => e.name));
  const skipped = new Set<string>();
  let due: string[] = [];
  let lock: MigrationLock | undefined;
  let fenced: FencedSession | undefined;
  let applyHost: ApplyHost | undefined;

  const step = async (entry: MigrationEntry, way: 'up' | 'down'): Promise<void> => {
    if (signal?.aborted) throw new MigrationAbortedError(alias, `'${entry.name}' (${way}) had not started`);
    applyHost ??= {
      project, alias, address, sequelize, adapter, history, key: host.historyTable, lock: lock!, signal,
      fencedSession: () => (fenced ??= openFencedSession(alias, config, adapter, sequelize)),
    };
    const started = performance.now();
    log('%s: %s %s', alias, way === 'up' ? 'applying' : 'reverting', entry.name);
    events.emit('migration:start', { alias, name: entry.name, direction: way });
    const fake = request.fake === 'all' || (request.fake === 'initial' && way === 'up' && initial.has(entry.name) && (await shouldFakeInitial(project, alias, entry)).fake);
    if ((await applyMigration(applyHost, entry, way, fake)) === 'skipped') {
      skipped.add(entry.name);
      log('%s: %s was done by another run meanwhile; skipped', alias, entry.name);
      events.emit('migration:skipped', { alias, name: entry.name, direction: way });
      return;
    }
    done.push(entry.name);
    if (fake) faked.push(entry.name);
    events.emit('migration:done', { alias, name: entry.name, direction: way, durationMs: performance.now() - started, ...(fake ? { faked: true } : {}) });
  };

  const umzug = new Umzug<{ alias: string }>({
    migrations: plan.map((entry): RunnableMigration<{ alias: string }> => ({
      name: entry.name,
      path: entry.path,
      up: () => step(entry, 'up'),
      down: () => step(entry, 'down'),
    })),
    storage: history,
    context: { alias },
    logger: undefined,
  });

  umzug.on('beforeCommand', async ({ command }) => {
    if (command !== 'up' && command !== 'down') return;
    let taken;
    try {
      taken = await adapter.lock(sequelize, host.historyTable, {
        wait: request.wait,
        timeoutMs: request.lockTimeoutMs,
        signal,
        onWait: (holder) => events.emit('database:waiting', { alias, holder }),
      });
    } catch (error) {
      if (signal?.aborted) throw new MigrationAbortedError(alias, 'it was waiting for the migration lock; nothing ran', error);
      throw error;
    }
    if ('busy' in taken) {
      throw taken.timedOut ? new MigrationLockTimeoutError(alias, address, request.lockTimeoutMs!, taken.holder) : new MigrationLockedError(alias, address, taken.holder);
    }
    lock = taken;
    log('%s: lock taken (%s, server pid %d)', alias, command, lock.session.pid);
    if (command === 'up') await history.ensure();
    const executed = new Set(await history.executed());
    const pending = direction === 'up' ? plan.filter((e) => !executed.has(e.name)) : plan.filter((e) => executed.has(e.name)).reverse();
    due = dueNames(pending.map((e) => e.name), options);
    events.emit('database:start', { alias, pending: pending.map((e) => e.name), due, direction });
  });
  umzug.on('afterCommand', () => finish());

  const finish = async () => {
    const held = lock;
    lock = undefined;
    await fenced?.close();
    await held?.release();
    if (held) log('%s: lock released', alias);
  };

  let error: Error | undefined;
  try {
    if (direction === 'up') await umzug.up(options as MigrateUpOptions);
    else await umzug.down(options as MigrateDownOptions);
  } catch (failure) {
    error = unwrap(failure, alias, address);
  } finally {
    await finish();
  }
  return { done, faked, pending: due.filter((name) => !done.includes(name) && !skipped.has(name)), ...(error ? { error } : {}) };
}

/** umzug options for the request, or undefined when there is nothing to do on this database. */
function umzugOptions(request: DatabaseRunRequest): MigrateUpOptions | MigrateDownOptions | undefined {
  const names = request.plan.map((e) => e.name);
  if (names.length === 0) return undefined;
  const { to, step } = request;
  if (request.direction === 'up') {
    if (typeof to === 'string') {
      const at = names.indexOf(to);
      return at < 0 ? undefined : { migrations: names.slice(0, at + 1), rerun: 'SKIP' };
    }
    return step === undefined ? {} : { step };
  }
  if (to === 0) return { to: 0 };
  if (typeof to === 'string') {
    const at = names.indexOf(to);
    return at < 0 ? undefined : { migrations: names.slice(at).reverse(), rerun: 'SKIP' };
  }
  return { step: step ?? 1 };
}

/** The names the umzug call will run, from the pending ones (in run order). */
function dueNames(pending: string[], options: MigrateUpOptions | MigrateDownOptions): string[] {
  const picked = 'migrations' in options && options.migrations ? pending.filter((n) => options.migrations!.includes(n)) : pending;
  return 'step' in options && options.step !== undefined ? picked.slice(0, options.step) : picked;
}

function unwrap(error: unknown, alias: string, address: string): Error {
  let current = error as Error & { cause?: unknown };
  while (!(current instanceof FbsError) && current?.cause instanceof Error && current.name === 'MigrationError') {
    current = current.cause as Error & { cause?: unknown };
  }
  if (!(current instanceof FbsError) && isConnectionFailure(current)) return new DatabaseUnavailableError(alias, address, current);
  return current instanceof Error ? current : new Error(String(current));
}
