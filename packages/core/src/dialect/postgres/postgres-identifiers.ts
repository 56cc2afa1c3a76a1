import { ConfigurationError } from '../../errors';

/** PostgreSQL's identifier limit: `NAMEDATALEN - 1` bytes (63 in every stock build); longer names are silently truncated by the server. */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

/**
 * `"name"`: an identifier quoted for PostgreSQL (double quotes doubled), safe for any text without
 * a NUL byte. Refuses NUL (the server cannot store it; a driver would cut the statement there).
 *
 * @example
 * ```ts
 * quoteIdentifier('acme"; DROP TABLE x; --'); // '"acme""; DROP TABLE x; --"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\u0000')) {
    throw new ConfigurationError(`${JSON.stringify(name)} is not a PostgreSQL identifier: it must be a non-empty string without NUL characters.`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `'text'`: a string literal for DDL that takes no parameters (`COMMENT ON`, `PASSWORD`). Quotes are
 * doubled; text with a backslash becomes an `E'…'` literal with backslashes doubled, so it means
 * the same whatever `standard_conforming_strings` is.
 *
 * @example
 * ```ts
 * quoteLiteral("it's"); // "'it''s'"
 * ```
 */
export function quoteLiteral(text: string): string {
  if (typeof text !== 'string' || text.includes('\u0000')) throw new ConfigurationError('A PostgreSQL string literal must be a string without NUL characters.');
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/**
 * Checks that `name` fits PostgreSQL's identifier limit (counted in UTF-8 bytes), so the server does
 * not truncate it into another object's name; returns it. `what` names it in the error (e.g.
 * `Database name`).
 *
 * @example
 * ```ts
 * checkIdentifierLength('djo_acme_db', 'Database name'); // 'djo_acme_db'
 * ```
 */
export function checkIdentifierLength(name: string, what = 'Identifier'): string {
  quoteIdentifier(name);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > POSTGRES_MAX_IDENTIFIER_BYTES) {
    throw new ConfigurationError(
      `${what} '${name}' is ${bytes} bytes long; PostgreSQL identifiers have at most ${POSTGRES_MAX_IDENTIFIER_BYTES} bytes ` +
        `(longer ones are truncated by the server). Use a shorter name.`,
    );
  }
  return name;
}
