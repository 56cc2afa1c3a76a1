import type { Dialect, Options } from 'sequelize';
import { ConfigurationError } from './errors';
import { libpqDialectOptions } from './libpq-params';

/** URL schemes and the Sequelize dialect each one means. */
export const URL_DIALECTS: Readonly<Record<string, Dialect>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  mssql: 'mssql',
};

const ENCODE =
  'Percent-encode the user name and password: postgres://user:${encodeURIComponent(password)}@host:5432/database ' +
  "('@' is %40, '#' %23, '/' %2F, '?' %3F, '%' %25, ':' %3A).";

/**
 * Turns `dialect://user:password@host:port/database?params` into Sequelize options. For postgres,
 * libpq's parameters become `dialectOptions` (see {@link libpqDialectOptions}). Errors are
 * ConfigurationErrors naming the alias and the fix; none contains the URL or any part of the password
 * (an unencoded `#`, `/`, `?` or `@` in a password shifts it into the path, query or fragment, so those
 * are checked before anything of them is shown).
 */
export function parseDatabaseUrl(alias: string, url: string): Options {
  const where = `Database '${alias}'`;
  checkDelimiters(where, url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`${where}: the URL is not valid. Expected postgres://user:password@host:5432/database. ${ENCODE}`);
  }
  const dialect = URL_DIALECTS[parsed.protocol.replace(/:$/, '')];
  if (!dialect) {
    throw new ConfigurationError(`${where}: unsupported URL scheme '${parsed.protocol}'. Use postgres:// (or mysql://, mariadb://).`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  if (dialect !== 'sqlite' && path.includes('/')) {
    throw new ConfigurationError(`${where}: the URL's path has more than one segment; a database name is one segment (encode '/' as %2F). ${ENCODE}`);
  }
  const options: Options = {
    dialect,
    host: decode(where, 'host', parsed.hostname) || undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    database: decode(where, 'database name', path),
    username: parsed.username ? decode(where, 'user name', parsed.username) : undefined,
    password: parsed.password ? decode(where, 'password', parsed.password) : undefined,
  };
  if ([...parsed.searchParams.keys()].length > 0) {
    if (dialect !== 'postgres') {
      throw new ConfigurationError(`${where}: URL parameters are understood for postgres:// URLs only; give ${dialect} driver options under \`dialectOptions\`.`);
    }
    options.dialectOptions = libpqDialectOptions(alias, parsed.searchParams);
  }
  return options;
}

/** Parses and checks `migrationUrl` (same rules as `url`; errors say it was the migrationUrl). */
export function parseMigrationUrl(alias: string, url: unknown, dialect: string): Options {
  if (typeof url !== 'string' || url === '') {
    throw new ConfigurationError(`Database '${alias}': migrationUrl must be a URL string (a direct postgres:// URL of the same database, bypassing the pooler), got ${url === '' ? 'an empty string' : typeof url}.`);
  }
  let parsed;
  try {
    parsed = parseDatabaseUrl(alias, url);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(error.message.replace(`Database '${alias}'`, `Database '${alias}' (migrationUrl)`), { cause: error });
  }
  if (parsed.dialect !== dialect) {
    throw new ConfigurationError(`Database '${alias}': migrationUrl is a ${parsed.dialect}:// URL but the database is ${dialect}; give the direct URL of the same database.`);
  }
  return parsed;
}

/**
 * A database URL has no fragment, and its only `@` ends the user info: a `#` anywhere, or an `@`
 * after the first `/`, `?` or `#` following the host, is an unencoded character of a password.
 */
function checkDelimiters(where: string, url: string): void {
  const start = url.indexOf('//');
  if (start < 0) return; // not hierarchical: `new URL` reports it
  const authorityEnd = url.slice(start + 2).search(/[/?#]/);
  const rest = authorityEnd < 0 ? '' : url.slice(start + 2 + authorityEnd);
  if (url.includes('#')) {
    throw new ConfigurationError(`${where}: the URL contains an unencoded '#' (a URL fragment), most likely in the password. ${ENCODE}`);
  }
  if (rest.includes('@')) {
    throw new ConfigurationError(
      `${where}: the URL has an '@' after the host part: the password (or user name) most likely contains an unencoded '/' or '?'. ${ENCODE}`,
    );
  }
}

function decode(where: string, part: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ConfigurationError(`${where}: the URL's ${part} contains a '%' that is not a percent-escape (%XX). ${ENCODE}`);
  }
}
