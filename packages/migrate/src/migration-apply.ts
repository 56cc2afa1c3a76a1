import type { MigrationContext, Project } from '@fbs/core';
import { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { DialectAdapter, MigrationLock } from '@fbs/core/dialect';
import { MigrationAbortedError, MigrationFailedError, MigrationLockLostError } from './errors';
import type { FencedSession } from './fenced-session';
import type { HistoryStore, HistoryTarget } from './history-store';
import type { MigrationEntry } from './migration-entry';

/** What applying one migration on one database needs. */
export interface ApplyHost {
  readonly project: Project;
  readonly alias: string;
  readonly address: string;
  readonly sequelize: Sequelize;
  readonly adapter: DialectAdapter;
  readonly history: HistoryStore;
  /** The history table's name: the key of the run lock and of the per-migration fence. */
  readonly key: string;
  readonly lock: MigrationLock;
  readonly signal: AbortSignal | undefined;
  /** The session `transaction: false` migrations run on (opened on first use). */
  fencedSession(): FencedSession;
}

/** `committed`: this run applied (or reverted) it. `skipped`: under the fence, the history showed another run had already done so. */
export type ApplyResult = 'committed' | 'skipped';

/**
 * Applies or reverts one migration exactly once. Under a per-migration fence (an advisory lock held
 * by the session that runs the migration's statements: its transaction, or the fenced session of
 * a `transaction: false` migration) it checks that this run still holds the database's lock and
 * re-reads the history, skipping a migration another run committed meanwhile; then it runs the
 * migration and writes (or deletes) its history row in the same place, before the fence is released.
 */
export async function applyMigration(host: ApplyHost, entry: MigrationEntry, way: 'up' | 'down', fake = false): Promise<ApplyResult> {
  const transactional = entry.transactional && host.adapter.transactionalDdl;
  const fn = entry.module[way];
  if (typeof fn !== 'function' && !fake) {
    const reason = new Error(`it has no down() function, so it cannot be reverted; add down() to ${entry.path ?? 'the migration'}`);
    throw new MigrationFailedError(host.alias, host.address, entry.name, way, transactional, reason);
  }
  // Faked (`fake`): recorded in the history, under the same fence, without running.
  const run = (sequelize: Sequelize, transaction: Transaction | undefined) => (fake ? undefined : callMigration(entry, way, host.alias, sequelize, transaction));
  return transactional ? inTransaction(host, entry, way, run) : onFencedSession(host, entry, way, run);
}

/** Calls a migration's `up` or `down` with its context (the database's Sequelize, the transaction it runs in, if any). */
export function callMigration(entry: MigrationEntry, way: 'up' | 'down', alias: string, sequelize: Sequelize, transaction: Transaction | undefined): unknown {
  return entry.module[way]!.call(entry.module, Object.freeze({
    alias, appLabel: entry.appLabel, name: entry.name, queryInterface: sequelize.getQueryInterface(), sequelize, transaction,
  }) as MigrationContext);
}

type Run = (sequelize: Sequelize, transaction: Transaction | undefined) => Promise<unknown> | unknown;

async function inTransaction(host: ApplyHost, entry: MigrationEntry, way: 'up' | 'down', run: Run): Promise<ApplyResult> {
  const { adapter, sequelize, signal } = host;
  let cancel: (() => void) | undefined;
  let started = false;
  try {
    const options = await adapter.transactionOptions(sequelize);
    return await host.project.transaction(
      host.alias,
      async (transaction) => {
        const pid = await adapter.fenceTransaction(sequelize, host.key, transaction, signal);
        if (await alreadyDone(host, entry, way, { transaction })) return 'skipped' as const;
        cancel = () => void (pid === undefined ? undefined : host.lock.cancel(pid).catch(() => undefined));
        signal?.addEventListener('abort', cancel, { once: true });
        started = true;
        await run(sequelize, transaction);
        signal?.throwIfAborted();
        if (way === 'up') await host.history.record(entry, { transaction });
        else await host.history.erase(entry.name, { transaction });
        signal?.removeEventListener('abort', cancel);
        signal?.throwIfAborted();
        return 'committed' as const;
      },
      options,
    );
  } catch (error) {
    if (error instanceof MigrationLockLostError) throw error;
    if (signal?.aborted) {
      throw new MigrationAbortedError(host.alias, `'${entry.name}' (${way}) ${started ? 'was in flight and was rolled back' : 'had not started'}`, error);
    }
    throw new MigrationFailedError(host.alias, host.address, entry.name, way, true, error);
  } finally {
    if (cancel) signal?.removeEventListener('abort', cancel);
  }
}

async function onFencedSession(host: ApplyHost, entry: MigrationEntry, way: 'up' | 'down', run: Run): Promise<ApplyResult> {
  const { sequelize } = host.fencedSession();
  let release: (() => Promise<void>) | undefined;
  try {
    release = await host.adapter.fenceSession(sequelize, host.key, host.signal);
    if (await alreadyDone(host, entry, way, { sequelize })) return 'skipped';
    // Not cancelled on abort: it cannot be rolled back, so it runs to its end and is recorded.
    await run(sequelize, undefined);
    if (way === 'up') await host.history.record(entry, { sequelize });
    else await host.history.erase(entry.name, { sequelize });
    return 'committed';
  } catch (error) {
    if (error instanceof MigrationLockLostError) throw error;
    if (host.signal?.aborted && release === undefined) throw new MigrationAbortedError(host.alias, `'${entry.name}' (${way}) had not started`, error);
    throw new MigrationFailedError(host.alias, host.address, entry.name, way, false, error);
  } finally {
    await release?.().catch(() => undefined);
  }
}

/** Under the fence: fails if this run lost its lock; true when the history shows the work done already. */
async function alreadyDone(host: ApplyHost, entry: MigrationEntry, way: 'up' | 'down', target: HistoryTarget): Promise<boolean> {
  const { held, recorded } = await host.adapter.fenceCheck(target.sequelize ?? host.sequelize, host.key, host.lock.session, host.key, entry.name, target.transaction);
  if (!held) throw new MigrationLockLostError(host.alias, host.address, host.lock.session.pid, `'${entry.name}' (${way})`);
  return way === 'up' ? recorded : !recorded;
}
