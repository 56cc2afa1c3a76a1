import { ConfigurationError } from '@fbs/core';
import type { DialectAdapter } from './dialect-adapter';
import { postgresAdapter } from './postgres-adapter';

const ADAPTERS: Record<string, DialectAdapter> = { postgres: postgresAdapter };

/** The adapter of a dialect; a clear error for dialects the migrator does not support yet. */
export function adapterFor(alias: string, dialect: string): DialectAdapter {
  const adapter = ADAPTERS[dialect];
  if (adapter) return adapter;
  throw new ConfigurationError(
    `Database '${alias}' uses dialect '${dialect}'; @fbs/migrate supports: ${Object.keys(ADAPTERS).join(', ')}. ` +
      `Migrate that database with another tool, or leave it out of --database.`,
  );
}
