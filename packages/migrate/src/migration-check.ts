import type { MigrationConflict } from './migration-conflicts';
import type { DatabaseStatus } from './types';

/** What `check()` finds wrong on a database. */
export type CheckProblemKind = 'pending' | 'edited' | 'unknown' | 'conflict' | 'unreadable';

/** One problem of one database, with the migrations it concerns and what to do. */
export interface CheckProblem {
  readonly kind: CheckProblemKind;
  /** The migrations concerned (namespaced); empty for `unreadable`. */
  readonly names: string[];
  /** A sentence for people: what is wrong and the command that fixes it. */
  readonly message: string;
}

/** What `check()` says about one database: `ok` when it has no problem. */
export interface DatabaseCheck {
  readonly alias: string;
  readonly ok: boolean;
  readonly problems: CheckProblem[];
}

/**
 * The CI verdict for one database, from its status and the project's conflicts routed there
 * (Django `migrate --check`, Rails `db:abort_if_pending_migrations`): pending migrations, migrations
 * edited after they were applied (checksum), history rows no app ships (unknown), conflicting
 * migrations, or a database that could not be read.
 *
 * @example
 * ```ts
 * const verdict = checkDatabase(status, conflicts); // { alias: 'default', ok: false, problems: [{ kind: 'pending', ... }] }
 * ```
 */
export function checkDatabase(status: DatabaseStatus, conflicts: readonly MigrationConflict[]): DatabaseCheck {
  const problems: CheckProblem[] = [];
  if (status.error) {
    problems.push({ kind: 'unreadable', names: [], message: `cannot be read: ${status.error.message}` });
    return { alias: status.alias, ok: false, problems };
  }
  const names = (predicate: (m: DatabaseStatus['migrations'][number]) => boolean) => status.migrations.filter(predicate).map((m) => m.name);
  const pending = names((m) => m.state === 'pending');
  if (pending.length > 0) {
    problems.push({ kind: 'pending', names: pending, message: `${pending.length} pending: ${pending.join(', ')} (apply with \`fbs-migrate up --database ${status.alias}\`)` });
  }
  const edited = names((m) => m.checksumMismatch === true);
  if (edited.length > 0) {
    problems.push({
      kind: 'edited',
      names: edited,
      message: `edited after they were applied (checksum differs): ${edited.join(', ')} (restore the applied version, or accept the edit with \`fbs-migrate history accept NAME --database ${status.alias}\`)`,
    });
  }
  const unknown = names((m) => m.state === 'unknown');
  if (unknown.length > 0) {
    problems.push({
      kind: 'unknown',
      names: unknown,
      message: `recorded as applied, but no app ships them: ${unknown.join(', ')} (restore the files, or drop the rows with \`fbs-migrate history forget NAME --database ${status.alias}\`)`,
    });
  }
  for (const conflict of conflicts) {
    problems.push({
      kind: 'conflict',
      names: conflict.names,
      message: `conflicting migrations of app '${conflict.appLabel}': ${conflict.names.join(' and ')} share the number ${conflict.number} and neither depends on the other (renumber one, or make it depend on the other)`,
    });
  }
  return { alias: status.alias, ok: problems.length === 0, problems };
}
