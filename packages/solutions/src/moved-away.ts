import { SolutionMovingError } from './errors';

/** PostgreSQL error codes a solution database gives while (or after) it is moved elsewhere. */
const MOVE_CODES = new Set([
  '25006', // read_only_sql_transaction: the source is frozen (read-only) during a move
  '3D000', // invalid_catalog_name: the source database was dropped after the move
  '57P01', // admin_shutdown: the move terminated the session when it froze the source
]);

/** The PostgreSQL SQLSTATE of a wrapped error (Sequelize's `parent`/`original`, `cause`), if any, up to 8 deep. */
export function sqlState(error: unknown): string | undefined {
  let current = error as { parent?: unknown; original?: unknown; cause?: unknown; code?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    if (typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code)) return current.code;
    current = (current.parent ?? current.original ?? current.cause) as typeof current;
  }
  return undefined;
}

/** What the catalogue says of a solution after such an error. */
export type PlacementCheck = 'moved' | 'moving' | 'unchanged';

/**
 * When `error` is what a frozen or moved solution database gives and the catalogue confirms a move
 * (`check` re-reads it and re-points the aliases), returns the retryable `SolutionMovingError` to
 * throw instead; else undefined (the error is the caller's own, e.g. a read-only transaction).
 */
export async function movedAway(error: unknown, solution: string, check: () => Promise<PlacementCheck>): Promise<SolutionMovingError | undefined> {
  const code = sqlState(error);
  if (code === undefined || !MOVE_CODES.has(code)) return undefined;
  const state = await check().catch((): PlacementCheck => 'unchanged');
  if (state === 'unchanged') return undefined;
  return new SolutionMovingError(solution, state === 'moved' ? 'has moved to another server (this process now points at it)' : 'is being moved to another server (its writes are frozen for a moment)', 500, error);
}
