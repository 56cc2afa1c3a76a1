import type { EventEmitter } from 'node:events';
import { DatabaseUnavailableError, type MigrationContext, type Project } from '@fbs/core';
import createDebug from 'debug';
import { ConnectionError, type Transaction } from 'sequelize';
import { Umzug, type MigrateDownOptions, type MigrateUpOptions, type RunnableMigration } from 'umzug';
import { adapterFor } from './dialect/adapter-for';
import type { MigrationLock } from './dialect/dialect-adapter';
import { MigrationFailedError, MigrationLockedError } from './errors';
import { HistoryStore } from './history-store';
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
}

/**
 * Runs `up` or `down` on one database with one Umzug: the plan as umzug's migrations, the
 * history table as its storage, the advisory lock taken on `beforeCommand` and released on
 * `afterCommand`, each migration wrapped so that it and its history row commit together.
 * Returns the names applied or reverted; throws {@link MigrationFailedError}, {@link MigrationLockedError}
 * or a connection error naming the alias.
 */
export async function runDatabase(host: RunnerHost, alias: string, request: DatabaseRunRequest): Promise<string[]> {
  const { project, events } = host;
  const { direction, plan } = request;
  const options = umzugOptions(request);
  if (options === undefined) return [];
  const sequelize = project.connection(alias);
  const address = project.connections.describe(alias);
  const adapter = adapterFor(alias, project.connections.config(alias).dialect);
  const history = new HistoryStore(sequelize, adapter, host.historyTable, new Map(plan.map((e) => [e.name, e])));

  const apply = async (entry: MigrationEntry, way: 'up' | 'down'): Promise<void> => {
    const transactional = entry.transactional && adapter.transactionalDdl;
    const context = (transaction: Transaction | undefined): MigrationContext =>
      Object.freeze({ alias, appLabel: entry.appLabel, name: entry.name, queryInterface: sequelize.getQueryInterface(), sequelize, transaction });
    try {
      const fn = entry.module[way];
      if (typeof fn !== 'function') throw new Error(`it has no down() function, so it cannot be reverted; add down() to ${entry.path ?? 'the migration'}`);
      if (!transactional) {
        await fn.call(entry.module, context(undefined));
        return;
      }
      await project.transaction(alias, async (transaction) => {
        await adapter.prepareTransaction(sequelize, transaction);
        await fn.call(entry.module, context(transaction));
        if (way === 'up') await history.record(entry, transaction);
        else await history.erase(entry.name, transaction);
      });
      history.settled(entry.name);
    } catch (error) {
      throw new MigrationFailedError(alias, address, entry.name, way, transactional, error);
    }
  };

  const umzug = new Umzug<{ alias: string }>({
    migrations: plan.map((entry): RunnableMigration<{ alias: string }> => ({
      name: entry.name,
      path: entry.path,
      up: () => apply(entry, 'up'),
      down: () => apply(entry, 'down'),
    })),
    storage: history,
    context: { alias },
    logger: undefined,
  });

  let lock: MigrationLock | undefined;
  umzug.on('beforeCommand', async ({ command }) => {
    if (command !== 'up' && command !== 'down') return;
    const taken = await adapter.lock(sequelize, host.historyTable, {
      wait: request.wait,
      onWait: (holder) => events.emit('database:waiting', { alias, holder }),
    });
    if ('busy' in taken) throw new MigrationLockedError(alias, address, taken.holder);
    lock = taken;
    log('%s: lock taken (%s)', alias, command);
    if (command === 'up') await history.ensure();
    const executed = new Set(await history.executed());
    const pending = direction === 'up' ? plan.filter((e) => !executed.has(e.name)) : plan.filter((e) => executed.has(e.name)).reverse();
    events.emit('database:start', { alias, pending: pending.map((e) => e.name), direction });
  });
  umzug.on('afterCommand', async () => {
    const held = lock;
    lock = undefined;
    await held?.release();
    if (held) log('%s: lock released', alias);
  });
  const started = new Map<string, number>();
  const begin = ({ name }: { name: string }) => {
    started.set(name, performance.now());
    log('%s: %s %s', alias, direction === 'up' ? 'applying' : 'reverting', name);
    events.emit('migration:start', { alias, name, direction });
  };
  const end = ({ name }: { name: string }) => {
    events.emit('migration:done', { alias, name, direction, durationMs: performance.now() - (started.get(name) ?? performance.now()) });
  };
  umzug.on(direction === 'up' ? 'migrating' : 'reverting', begin);
  umzug.on(direction === 'up' ? 'migrated' : 'reverted', end);

  try {
    const done = direction === 'up' ? await umzug.up(options as MigrateUpOptions) : await umzug.down(options as MigrateDownOptions);
    return done.map((m) => m.name);
  } catch (error) {
    throw unwrap(error, alias, address);
  } finally {
    await lock?.release();
  }
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

function unwrap(error: unknown, alias: string, address: string): Error {
  let current = error as Error & { cause?: unknown };
  while (!(current instanceof MigrationFailedError) && current?.cause instanceof Error && current.name === 'MigrationError') {
    current = current.cause as Error & { cause?: unknown };
  }
  if (current instanceof ConnectionError) return new DatabaseUnavailableError(alias, address, current);
  return current instanceof Error ? current : new Error(String(current));
}
