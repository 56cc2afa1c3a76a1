import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigurationError } from './errors';

/** libpq's `sslmode` values, from "never encrypt" to "encrypt and check the server's certificate and host name". */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The libpq URL parameters the SDK understands; any other is refused. */
export const LIBPQ_PARAMETERS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'options', 'connect_timeout'] as const;

/** node-postgres client options (Sequelize `dialectOptions`) that libpq parameters map to. */
export interface PgDialectOptions {
  ssl?: boolean | ConnectionOptions;
  application_name?: string;
  options?: string;
  connectionTimeoutMillis?: number;
}

/**
 * Maps the query parameters of a `postgres://` URL to node-postgres options, with libpq's meaning:
 *
 * - `sslmode=disable` / `allow`: no TLS (node-postgres cannot retry with TLS when a server demands it);
 * - `prefer`: TLS, the certificate is not checked; no fall back to plain text (node-postgres cannot);
 * - `require`: TLS, the certificate is not checked — unless `sslrootcert` is given, then as
 *   `verify-ca` (as libpq does);
 * - `verify-ca`: TLS, the certificate must chain to `sslrootcert` (or the system's CAs), any host name;
 * - `verify-full`: as `verify-ca`, and the certificate must name the host;
 * - `sslrootcert`, `sslcert`, `sslkey`: PEM files, read now (`sslrootcert=system`: the system's CAs);
 *   given without `sslmode`, they mean `require`;
 * - `application_name`, `options` (e.g. `-c search_path=app`): passed as is;
 * - `connect_timeout`: seconds (0: wait forever), becomes `connectionTimeoutMillis`.
 *
 * Errors are ConfigurationErrors naming the alias, the parameter and the accepted values.
 */
export function libpqDialectOptions(alias: string, params: URLSearchParams): PgDialectOptions {
  const where = `Database '${alias}'`;
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    if (!(LIBPQ_PARAMETERS as readonly string[]).includes(name)) {
      throw new ConfigurationError(`${where}: unknown URL parameter '${name}'. Known parameters: ${LIBPQ_PARAMETERS.join(', ')}.`);
    }
    if (values.has(name)) throw new ConfigurationError(`${where}: URL parameter '${name}' is given twice; keep one.`);
    values.set(name, value);
  }
  const options: PgDialectOptions = {};
  const ssl = sslOptions(where, values);
  if (ssl !== undefined) options.ssl = ssl;
  if (values.has('application_name')) options.application_name = values.get('application_name');
  if (values.has('options')) options.options = values.get('options');
  if (values.has('connect_timeout')) {
    const raw = values.get('connect_timeout')!;
    if (!/^\d+$/.test(raw.trim())) {
      throw new ConfigurationError(`${where}: connect_timeout=${JSON.stringify(raw)} is not a number of seconds (e.g. connect_timeout=10; 0 waits forever).`);
    }
    options.connectionTimeoutMillis = Number(raw.trim()) * 1000;
  }
  return options;
}

function sslOptions(where: string, values: Map<string, string>): PgDialectOptions['ssl'] {
  const files = ['sslrootcert', 'sslcert', 'sslkey'].filter((name) => values.has(name));
  const given = values.get('sslmode');
  if (given !== undefined && !(SSL_MODES as readonly string[]).includes(given)) {
    throw new ConfigurationError(`${where}: sslmode=${JSON.stringify(given)} is not an SSL mode. Use one of: ${SSL_MODES.join(', ')}.`);
  }
  const mode = (given ?? (files.length > 0 ? 'require' : undefined)) as SslMode | undefined;
  if (mode === undefined) return undefined;
  if (mode === 'disable' || mode === 'allow') {
    if (files.length > 0) throw new ConfigurationError(`${where}: ${files.join(', ')} given with sslmode=${mode}, which does not use SSL. Use sslmode=require, verify-ca or verify-full.`);
    return false;
  }
  if (values.has('sslcert') !== values.has('sslkey')) {
    throw new ConfigurationError(`${where}: a client certificate needs both sslcert and sslkey (only ${values.has('sslcert') ? 'sslcert' : 'sslkey'} is given).`);
  }
  const ssl: ConnectionOptions = {};
  const rootcert = values.get('sslrootcert');
  if (rootcert !== undefined && rootcert !== 'system') ssl.ca = readPem(where, 'sslrootcert', rootcert);
  if (values.has('sslcert')) {
    ssl.cert = readPem(where, 'sslcert', values.get('sslcert')!);
    ssl.key = readPem(where, 'sslkey', values.get('sslkey')!);
  }
  const verify = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && rootcert !== undefined && rootcert !== 'system');
  ssl.rejectUnauthorized = verify;
  // verify-ca (and require/prefer with a root certificate) checks the chain, not the host name.
  if (verify && mode !== 'verify-full') ssl.checkServerIdentity = () => undefined;
  return ssl;
}

function readPem(where: string, parameter: string, path: string): string {
  if (path === '') throw new ConfigurationError(`${where}: ${parameter} is empty; give the path of a PEM file.`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`${where}: ${parameter}=${path} cannot be read (${code}). Give the path of a PEM file this process can read.`, { cause: error });
  }
}
