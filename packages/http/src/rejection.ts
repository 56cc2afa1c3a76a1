/** Why a request was refused before it reached a handler. */
export type RejectionCode =
  | 'solution_missing'
  | 'solution_invalid'
  | 'solution_unknown'
  | 'solution_dropped'
  | 'solution_unavailable'
  | 'solution_suspended'
  | 'solution_lookup_failed'
  | 'causality_invalid';

/** A refused request: what was wrong, the solution as sent (if any), and the status it answers. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly status: number;
  readonly message: string;
  /** The name as the request sent it (`undefined` for `solution_missing`). */
  readonly solution?: string;
}

/** The response a rejection is sent as: a status and a JSON body. */
export interface RejectionResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Default statuses: 400 for a request that names no valid solution (or carries a malformed causality token), 404 for one that is not there, 503 when the catalogue cannot be read. */
export const DEFAULT_STATUSES: Readonly<Record<RejectionCode, number>> = Object.freeze({
  solution_missing: 400,
  solution_invalid: 400,
  solution_unknown: 404,
  solution_dropped: 404,
  solution_unavailable: 404,
  solution_suspended: 404,
  solution_lookup_failed: 503,
  causality_invalid: 400,
});

/**
 * The default body: `{ "error": { "code", "message", "solution" } }`.
 *
 * @example
 * ```json
 * { "error": { "code": "solution_unknown", "message": "Unknown solution 'acme': it is not in the catalogue.", "solution": "acme" } }
 * ```
 */
export function defaultRejectionResponse(rejection: Rejection): RejectionResponse {
  const error: Record<string, string> = { code: rejection.code, message: rejection.message };
  if (rejection.solution !== undefined) error.solution = rejection.solution;
  return { status: rejection.status, body: { error } };
}
