/**
 * The statements of the solutions catalogue table (one row per solution: name, state, databases and
 * their servers as JSON, the move journal, timestamps), numbered `$n` binds. `begin` inserts a row unless one exists and returns the
 * row as it stands either way, in one statement.
 */
export interface CatalogueStatements {
  /** Creates the table if it does not exist. Two processes racing may get `unique-violation` (the table exists). */
  readonly create: string;
  /** `$1` name → the row. */
  readonly get: string;
  /** Every row, by name. */
  readonly list: string;
  /** `$1` name, `$2` databases (JSON text), `$3` servers (JSON text) → the row inserted as `creating`, or the existing one. */
  readonly begin: string;
  /** `$1` the table's name → rows `{ column_name }` (to add the columns of later versions to an older table). */
  readonly columns: string;
  /** Adds the `servers` column (kind → server JSON, default `{}`) if missing. */
  readonly addServers: string;
  /** Adds the `move` column (the move journal, JSON or null) if missing. */
  readonly addMove: string;
  /** `$1` name, `$2` the move journal (JSON text or null). */
  readonly journal: string;
  /** `$1` name, `$2` the move journal (JSON text), `$3` servers (JSON text): the switch of a move, in one statement. */
  readonly journalSwitch: string;
  /** `$1` name, `$2` state. */
  readonly setState: string;
  /** `$1` name. */
  readonly remove: string;
}
