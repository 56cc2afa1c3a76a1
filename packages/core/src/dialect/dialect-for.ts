import { ConfigurationError } from '../errors';
import type { Dialect } from './dialect';
import { postgresDialect } from './postgres/postgres-dialect';

/** The dialects of the SDK's dialect module, by Sequelize dialect name. A second dialect is one folder beside `postgres/` and one line here. */
const DIALECTS: Readonly<Record<string, Dialect>> = Object.freeze({ postgres: postgresDialect });

/** The names {@link dialectFor} knows. */
export const SUPPORTED_DIALECTS: readonly string[] = Object.freeze(Object.keys(DIALECTS));

/**
 * The dialect of a Sequelize dialect name. An unsupported one is a ConfigurationError naming it,
 * `where` it was met (e.g. `Database 'reports'`) and the supported dialects.
 *
 * @example
 * ```ts
 * const dialect = dialectFor(project.connections.config('default').dialect);
 * dialect.quoteIdentifier('djo_acme_db'); // '"djo_acme_db"'
 * ```
 */
export function dialectFor(name: string, where?: string): Dialect {
  const dialect = Object.prototype.hasOwnProperty.call(DIALECTS, name) ? DIALECTS[name] : undefined;
  if (dialect) return dialect;
  throw new ConfigurationError(
    `${where ? `${where} uses dialect` : 'Dialect'} '${String(name)}', which the SDK's dialect module does not support (migrations, solutions, locks); ` +
      `supported: ${SUPPORTED_DIALECTS.join(', ')}.`,
  );
}
