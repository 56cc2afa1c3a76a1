import { ConfigurationError, type Project } from '@fbs/core';
import { Client } from 'pg';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The seed's `createdb <name>` for a configured alias: creates its database on its server when it
 * does not exist yet. Returns true when it created it.
 */
export async function ensureDatabase(project: Project, alias: string): Promise<boolean> {
  const config = project.connections.config(alias);
  if (!IDENTIFIER.test(config.database)) {
    throw new ConfigurationError(`Database name ${JSON.stringify(config.database)} of '${alias}' is not an identifier; use letters, digits and underscores.`);
  }
  const client = new Client({
    host: config.host, port: config.port, user: config.username, password: config.password ?? undefined, database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${config.database}"`);
    return true;
  } finally {
    await client.end();
  }
}
