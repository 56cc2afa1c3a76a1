/**
 * What a database error means to the SDK, whatever the dialect (each dialect maps its own codes,
 * e.g. PostgreSQL's SQLSTATE, in its `classifyError`):
 * - `connection-failure`: the server could not be reached or used (refused, reset, shut down, TLS, timeouts);
 * - `authentication-failure`: the login was refused (wrong password, unknown user, no pg_hba.conf entry);
 * - `too-many-connections`: the server refuses more sessions;
 * - `invalid-catalog-name`: the database does not exist;
 * - `duplicate-database`: a database of that name exists;
 * - `duplicate-object`: a role (or other named object) of that name exists;
 * - `undefined-object`: the named role (or other object) does not exist;
 * - `undefined-table`: the table does not exist;
 * - `unique-violation`: a unique constraint refused a row;
 * - `insufficient-privilege`: the user lacks the right;
 * - `object-in-use`: the object is being used by other sessions (e.g. cloning a template someone is connected to);
 * - `lock-not-available`: a lock could not be taken without waiting (NOWAIT, `lock_timeout`);
 * - `serialization-failure`: the transaction must be retried (serializable isolation);
 * - `deadlock`: the server broke a deadlock by aborting this transaction (retryable);
 * - `query-canceled`: the statement was cancelled (`statement_timeout`, `pg_cancel_backend`);
 * - `session-terminated`: the server ended the session (`pg_terminate_backend`, shutdown).
 */
export type DatabaseErrorCategory =
  | 'connection-failure'
  | 'authentication-failure'
  | 'too-many-connections'
  | 'invalid-catalog-name'
  | 'duplicate-database'
  | 'duplicate-object'
  | 'undefined-object'
  | 'undefined-table'
  | 'unique-violation'
  | 'insufficient-privilege'
  | 'object-in-use'
  | 'lock-not-available'
  | 'serialization-failure'
  | 'deadlock'
  | 'query-canceled'
  | 'session-terminated';

/** Categories after which running the same transaction again may succeed. */
export const RETRYABLE_CATEGORIES: ReadonlySet<DatabaseErrorCategory> = new Set<DatabaseErrorCategory>([
  'connection-failure', 'too-many-connections', 'serialization-failure', 'deadlock', 'lock-not-available', 'session-terminated',
]);

/**
 * The errors `error` wraps, itself first: Sequelize's `parent`/`original`, `cause`, an
 * AggregateError's errors; up to 8 deep, without cycles. What classifiers read codes from.
 */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 8) {
    const current = queue.shift();
    if (current === undefined || current === null || chain.includes(current)) continue;
    chain.push(current);
    const e = current as { parent?: unknown; original?: unknown; cause?: unknown; errors?: unknown };
    queue.push(e.parent ?? e.original, e.cause, ...(Array.isArray(e.errors) ? e.errors.slice(0, 2) : []));
  }
  return chain;
}

/** The string `code` properties along {@link errorChain} (SQLSTATEs, socket errnos), outermost first. */
export function errorCodes(error: unknown): string[] {
  return errorChain(error)
    .map((e) => (e as { code?: unknown } | null)?.code)
    .filter((c): c is string => typeof c === 'string');
}
