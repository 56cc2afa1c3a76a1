import type { Dialect, DriverConnection } from '../dialect';
import { postgresAdapter } from './postgres-adapter';
import { postgresCatalogueStatements } from './postgres-catalogue';
import { postgresClientConfig } from './postgres-client-config';
import { postgresDatabaseAdmin } from './postgres-database-admin';
import { postgresDriver } from './postgres-driver';
import { classifyPostgresError } from './postgres-errors';
import { checkIdentifierLength, POSTGRES_MAX_IDENTIFIER_BYTES, quoteIdentifier, quoteLiteral } from './postgres-identifiers';
import { PostgresServerAdmin } from './postgres-server-admin';

/** PostgreSQL (13+): the SDK's first-class dialect. */
export const postgresDialect: Dialect = Object.freeze<Dialect>({
  name: 'postgres',
  maxIdentifierBytes: POSTGRES_MAX_IDENTIFIER_BYTES,
  supportsDatabaseTemplates: true,
  quoteIdentifier,
  quoteLiteral,
  checkIdentifier: checkIdentifierLength,
  classifyError: classifyPostgresError,
  clientConfig: postgresClientConfig,
  async connect(alias, config, options = {}): Promise<DriverConnection> {
    const client = new (postgresDriver(config as { dialectModule?: unknown }).Client)(postgresClientConfig(alias, config, options));
    client.on('error', () => undefined); // an idle connection that broke: the next query reports it
    await client.connect();
    let closed: Promise<void> | undefined;
    return {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      close: () => (closed ??= client.end().catch(() => undefined)),
    };
  },
  admin: postgresDatabaseAdmin,
  serverAdmin: (config, options) => new PostgresServerAdmin(config, options),
  catalogueStatements: postgresCatalogueStatements,
  adapter: postgresAdapter,
});
