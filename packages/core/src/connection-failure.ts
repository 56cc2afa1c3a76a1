import { ConnectionError } from 'sequelize';

/**
 * Why a database could not be used, as far as the error tells:
 * - `authentication`: wrong password, unknown user, or no pg_hba.conf entry (SQLSTATE 28P01, 28000);
 * - `missing-database`: the database does not exist (3D000);
 * - `unreachable`: nothing answers at host:port, or not in time (ECONNREFUSED, ENOTFOUND, timeouts);
 * - `restarting`: the server shut down, crashed, is starting, or the session was cut
 *   (57P01, 57P02, 57P03, class 08, ECONNRESET, "Connection terminated unexpectedly");
 * - `too-many-connections`: the server refuses more sessions (53300);
 * - `ssl`: the TLS handshake failed (server without SSL, certificate not trusted, wrong host name);
 * - `pool-exhausted`: no pooled connection became free in time (Sequelize's acquire timeout);
 * - `other`: any other connection-level failure Sequelize reports.
 */
export type ConnectionFailureKind =
  | 'authentication'
  | 'missing-database'
  | 'unreachable'
  | 'restarting'
  | 'too-many-connections'
  | 'ssl'
  | 'pool-exhausted'
  | 'other';

const HINTS: Record<ConnectionFailureKind, string> = {
  authentication:
    'Check the user name and password (and that pg_hba.conf lets this user connect from this host, with or without SSL).',
  'missing-database':
    'The database does not exist: create it (createdb <name>, or `fbs-solutions create <solution>` for a solution), then run `fbs-migrate up`.',
  unreachable: 'No server answers at that host and port: check that PostgreSQL is running there and that host and port are right.',
  restarting: 'The server shut down or is restarting: retry once it is back (the SDK reconnects by itself).',
  'too-many-connections': "The server has too many connections: lower the pools' `pool.max`, or raise the server's max_connections.",
  ssl: 'The SSL/TLS handshake failed: check sslmode and sslrootcert in the URL, and that the server has ssl = on with a certificate for this host name.',
  'pool-exhausted': 'Every pooled connection stayed busy: look for long transactions, or raise `pool.max` / `pool.acquire`.',
  other: 'Check that the server is running and that the database exists.',
};

const SEQUELIZE_CONNECTION_ERRORS = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeAccessDeniedError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeInvalidConnectionError',
  'SequelizeConnectionTimedOutError',
  'SequelizeConnectionAcquireTimeoutError',
]);

const RESTARTING = /Connection terminated|terminating connection|not queryable|database system is (starting up|shutting down|in recovery mode)|server closed the connection/i;
const UNREACHABLE = /timeout expired|connection timeout|Connection timed out/i;
const SSL = /does not support SSL|SSL|TLS|certificate|self[- ]signed/i;
const SSL_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|CERT_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/**
 * The kind of connection-level failure `error` is, or undefined when it is not one (a SQL error,
 * a constraint violation, an error the SDK already raised). Looks through Sequelize's wrappers
 * (`parent`, `original`) and `cause` for the driver's SQLSTATE or socket errno.
 */
export function connectionFailureKind(error: unknown): ConnectionFailureKind | undefined {
  if (isSdkError(error)) return undefined;
  const chain = causes(error);
  const codes = chain.map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === 'string');
  const messages = chain.map((e) => (e instanceof Error ? e.message : String(e))).join('\n');
  const names = chain.map((e) => (e as { name?: unknown }).name);
  const sequelizeConnection = error instanceof ConnectionError || names.some((n) => typeof n === 'string' && SEQUELIZE_CONNECTION_ERRORS.has(n));
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has('28P01', '28000')) return 'authentication';
  if (has('3D000')) return 'missing-database';
  if (has('53300') || /too many clients|too many connections/i.test(messages)) return 'too-many-connections';
  if (has('57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE') || codes.some((c) => c.startsWith('08'))) return 'restarting';
  if (codes.some((c) => SSL_CODES.test(c)) || (sequelizeConnection && SSL.test(messages))) return 'ssl';
  if (has('ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'EADDRNOTAVAIL')) return 'unreachable';
  if (names.includes('SequelizeConnectionAcquireTimeoutError')) return 'pool-exhausted';
  if (names.some((n) => n === 'SequelizeConnectionRefusedError' || n === 'SequelizeHostNotFoundError' || n === 'SequelizeHostNotReachableError' || n === 'SequelizeConnectionTimedOutError')) {
    return 'unreachable';
  }
  // The driver's own messages (no SQLSTATE): a server error's text (e.g. a RAISE) is never read as one.
  const fromServer = chain.some((e) => typeof (e as { severity?: unknown }).severity === 'string');
  // "Connection terminated due to connection timeout" is a timeout, not a shutdown: test timeouts first.
  if (!fromServer && UNREACHABLE.test(messages)) return 'unreachable';
  if (!fromServer && RESTARTING.test(messages)) return 'restarting';
  return sequelizeConnection ? 'other' : undefined;
}

/**
 * True when `error` means the database could not be used at all (unreachable, refused the login,
 * shut down, session cut, pool exhausted), as opposed to an error of the statement itself.
 * False for errors the SDK already raised (they are already named and explained).
 *
 * @example
 * ```ts
 * catch (error) { if (isConnectionFailure(error)) throw new DatabaseUnavailableError(alias, address, error); throw error; }
 * ```
 */
export function isConnectionFailure(error: unknown): boolean {
  return connectionFailureKind(error) !== undefined;
}

/** What to do about a connection failure, one sentence per cause (see {@link ConnectionFailureKind}). Never contains a password. */
export function connectionHint(error: unknown): string {
  const kind = connectionFailureKind(error) ?? 'other';
  if (kind === 'authentication' && causes(error).some((e) => e instanceof Error && /pg_hba\.conf.*no encryption/.test(e.message))) {
    return 'The server accepts this user over SSL only: add ?sslmode=verify-full&sslrootcert=<ca.pem> (or sslmode=require) to the URL.';
  }
  return HINTS[kind];
}

/** `error`, then what it wraps (Sequelize's `parent`/`original`, `cause`, an AggregateError's first error), up to 8 deep. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current) && !(chain.length > 0 && isSdkError(current))) {
    chain.push(current);
    const e = current as { parent?: unknown; original?: unknown; cause?: unknown; errors?: unknown };
    current = e.parent ?? e.original ?? e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return chain;
}

/** The SDK's own errors (FbsError, code `FBS_…`), recognised without importing errors.ts (which imports this file). */
function isSdkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('FBS_');
}
