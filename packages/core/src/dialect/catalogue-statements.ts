/**
 * The statements of the solutions catalogue table (one row per solution: name, state, databases as
 * JSON, timestamps), numbered `$n` binds. `begin` inserts a row unless one exists and returns the
 * row as it stands either way, in one statement.
 */
export interface CatalogueStatements {
  /** Creates the table if it does not exist. Two processes racing may get `unique-violation` (the table exists). */
  readonly create: string;
  /** `$1` name → the row. */
  readonly get: string;
  /** Every row, by name. */
  readonly list: string;
  /** `$1` name, `$2` databases (JSON text) → the row inserted as `creating`, or the existing one. */
  readonly begin: string;
  /** `$1` name, `$2` state. */
  readonly setState: string;
  /** `$1` name. */
  readonly remove: string;
}
