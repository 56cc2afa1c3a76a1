import { ConfigurationError, type Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The seed's `createdb <name>` for a configured alias: creates its database on its server when it
 * does not exist yet. Returns true when it created it. Connects with the alias's own settings
 * (TLS and the URL's libpq parameters included), through the SDK's dialect module.
 */
export async function ensureDatabase(project: Project, alias: string): Promise<boolean> {
  const config = project.connections.config(alias);
  if (!IDENTIFIER.test(config.database)) {
    throw new ConfigurationError(`Database name ${JSON.stringify(config.database)} of '${alias}' is not an identifier; use letters, digits and underscores.`);
  }
  const dialect = dialectFor(config.dialect, `Database '${alias}'`);
  const connection = await dialect.connect(alias, config, { database: 'postgres' });
  const session = { query: (sql: string, params?: unknown[]) => connection.query(sql, params) };
  try {
    try {
      await dialect.admin.createDatabase(session, config.database);
      return true;
    } catch (error) {
      if (dialect.classifyError(error) === 'duplicate-database') return false;
      throw error;
    }
  } finally {
    await connection.close();
  }
}
