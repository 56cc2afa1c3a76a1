import { FbsError } from '@fbs/core';

/**
 * The migration graph or a call's options are invalid: a dependency cycle, a missing dependency,
 * a module without `up`, an unknown `--to` target. Raised before anything runs.
 *
 * @example
 * ```ts
 * try { await migrator.plan() } catch (e) { if (e instanceof MigrationPlanError) console.error(e.message) }
 * ```
 */
export class MigrationPlanError extends FbsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FBS_MIGRATION_PLAN', message, options);
  }
}

/**
 * A migration failed on one database. Names the database (alias and redacted address), the
 * migration and the cause; `cause` is the original error.
 */
export class MigrationFailedError extends FbsError {
  readonly alias: string;
  readonly migration: string;
  readonly direction: 'up' | 'down';
  constructor(alias: string, address: string, migration: string, direction: 'up' | 'down', transactional: boolean, cause: unknown) {
    const reason = describeCause(cause);
    const aftermath = transactional
      ? 'Its changes and its history row were rolled back.'
      : 'It ran outside a transaction (transaction: false): check the database for partial changes before rerunning.';
    super(
      'FBS_MIGRATION_FAILED',
      `Migration '${migration}' (${direction}) failed on database '${alias}' (${address}): ${reason}. ${aftermath}`,
      { cause },
    );
    this.alias = alias;
    this.migration = migration;
    this.direction = direction;
  }
}

/** The cause's message, with the driver's message and detail when Sequelize wraps them (e.g. "Validation error"). */
/** The message of `cause`, with the driver's own message and detail when Sequelize wrapped it. */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const parent = (cause as { parent?: { message?: string; detail?: string } }).parent;
  let reason = cause.message;
  if (parent?.message && parent.message !== reason) reason += ` (${parent.message})`;
  if (parent?.detail) reason += ` ${parent.detail}`;
  return reason;
}

/** Another process holds the migration lock of a database and the caller asked not to wait (`wait: false`, `--no-wait`). */
export class MigrationLockedError extends FbsError {
  readonly alias: string;
  constructor(alias: string, address: string, holder: string | undefined) {
    super(
      'FBS_MIGRATION_LOCKED',
      `Database '${alias}' (${address}) is being migrated by another process${holder ? ` (${holder})` : ''}. ` +
        `Wait for it to finish, or run again without --no-wait (wait: false) to queue behind it.`,
    );
    this.alias = alias;
  }
}

/** Waiting for another migrator's lock took longer than `lockTimeoutMs` (`--lock-timeout`). Nothing ran on that database. */
export class MigrationLockTimeoutError extends FbsError {
  readonly alias: string;
  readonly holder: string | undefined;
  constructor(alias: string, address: string, timeoutMs: number, holder: string | undefined) {
    super(
      'FBS_MIGRATION_LOCK_TIMEOUT',
      `Gave up after waiting ${timeoutMs} ms for the migration lock of database '${alias}' (${address}): ` +
        `another migrator holds it (${holder ?? 'the server did not say which session'}). Nothing ran on '${alias}'. ` +
        `Let that run finish, or end it (SELECT pg_terminate_backend(pid)) if it is stuck, then run again; --lock-timeout (lockTimeoutMs) sets how long to wait.`,
    );
    this.alias = alias;
    this.holder = holder;
  }
}

/**
 * The session holding this run's migration lock ended (`pg_terminate_backend`, `idle_session_timeout`,
 * a pooler or server restart) and the run stopped. Every migration it reports as applied committed;
 * none was applied twice, because each runs under a per-migration fence that re-checks the history.
 */
export class MigrationLockLostError extends FbsError {
  readonly alias: string;
  constructor(alias: string, address: string, pid: number, before: string) {
    super(
      'FBS_MIGRATION_LOCK_LOST',
      `Lost the migration lock of database '${alias}' (${address}): its session (server pid ${pid}) ended, so the run stopped before ${before}. ` +
        `What this run reports as applied committed; nothing was applied twice. Another migrator may be running now; run again to finish.`,
    );
    this.alias = alias;
  }
}

/** The run was aborted (its `signal`; Ctrl-C in the CLI). Raised on the databases it stopped; the report says what committed. */
export class MigrationAbortedError extends FbsError {
  readonly alias: string;
  constructor(alias: string, detail: string, cause?: unknown) {
    super('FBS_MIGRATION_ABORTED', `Stopped on database '${alias}' because the run was aborted: ${detail}.`, { cause });
    this.alias = alias;
  }
}

/**
 * The migrator would take its lock through a connection pooler: the server session behind the
 * connection is not the one the protocol announced (PgBouncer, and poolers like it, hand out their
 * own process ids). Under transaction pooling a session advisory lock stays on a server connection
 * that other clients get next, so the migrator refuses before anything runs. The fix is a direct
 * `migrationUrl` (docs/pgbouncer.md).
 */
export class MigrationPoolerError extends FbsError {
  readonly alias: string;
  constructor(alias: string, address: string, serverPid: number, processId: number) {
    super(
      'FBS_MIGRATION_POOLER',
      `Database '${alias}' (${address}) is reached through a connection pooler such as PgBouncer (server pid ${serverPid}, but the connection announced process id ${processId}); ` +
        "the migrator's lock is a session advisory lock, which transaction pooling hands to other clients, so nothing ran. " +
        `Set \`migrationUrl\` on database '${alias}' to a direct URL that bypasses the pooler (e.g. postgres://user@db-host:5432/${address.split('/').pop()}, or a session-mode pool); ` +
        "for a solution database set it on the solutions `server` config (or on the system alias it defaults to). See docs/pgbouncer.md.",
    );
    this.alias = alias;
  }
}

/**
 * A schema `make` cannot read, diff or render: a model feature it does not generate, an ambiguous
 * rename without an answer, a broken snapshot or declared effect. The message names the value and the fix.
 *
 * @example
 * ```ts
 * try { await makeMigrations(project) } catch (e) { if (e instanceof SchemaError) console.error(e.message) }
 * ```
 */
export class SchemaError extends FbsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FBS_SCHEMA', message, options);
  }
}
