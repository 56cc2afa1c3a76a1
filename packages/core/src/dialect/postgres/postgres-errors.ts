import { connectionFailureKind } from '../../connection-failure';
import { errorCodes, type DatabaseErrorCategory } from '../error-category';

/** SQLSTATE → category (PostgreSQL Appendix A, "PostgreSQL Error Codes"). */
const SQLSTATES: Readonly<Record<string, DatabaseErrorCategory>> = {
  '3D000': 'invalid-catalog-name',
  '42P04': 'duplicate-database',
  '42710': 'duplicate-object',
  '42704': 'undefined-object',
  '42P01': 'undefined-table',
  '23505': 'unique-violation',
  '42501': 'insufficient-privilege',
  '55006': 'object-in-use',
  '55P03': 'lock-not-available',
  '40001': 'serialization-failure',
  '40P01': 'deadlock',
  '57014': 'query-canceled',
  '57P01': 'session-terminated',
  '57P02': 'session-terminated',
  '28P01': 'authentication-failure',
  '28000': 'authentication-failure',
  '53300': 'too-many-connections',
};

/**
 * What a PostgreSQL error means (see {@link DatabaseErrorCategory}), read from the SQLSTATE of the
 * driver error (through Sequelize's wrappers and `cause`), else from the connection failure it is
 * (socket errors, TLS, timeouts: `connection-failure`). Undefined for any other error.
 *
 * @example
 * ```ts
 * catch (error) { if (classifyPostgresError(error) === 'duplicate-database') return; throw error; }
 * ```
 */
export function classifyPostgresError(error: unknown): DatabaseErrorCategory | undefined {
  for (const code of errorCodes(error)) {
    const category = SQLSTATES[code];
    if (category !== undefined) return category;
    if (code.startsWith('08')) return 'connection-failure';
    if (code === '57P03') return 'connection-failure'; // cannot connect now: the server is starting up
  }
  switch (connectionFailureKind(error)) {
    case undefined:
      return undefined;
    case 'authentication':
      return 'authentication-failure';
    case 'missing-database':
      return 'invalid-catalog-name';
    case 'too-many-connections':
      return 'too-many-connections';
    default:
      return 'connection-failure';
  }
}
