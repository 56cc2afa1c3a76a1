import { DatabaseUnavailableError, describeDatabase, FbsError, isConnectionFailure, normalizeDatabaseConfig, UnknownDatabaseError, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import { dialectFor, type DriverConnection } from '@fbs/core/dialect';
import createDebug from 'debug';
import { describeCause } from '../errors';
import type { CreateDatabasesOptions, CreateDatabasesReport, DatabaseCreation } from './create-types';
import { checkDatabaseNames } from './database-name';

const log = createDebug('fbs:migrate:sql');

/** The server refused to create a database (e.g. the admin role lacks `CREATEDB`). */
export class DatabaseCreateError extends FbsError {
  readonly alias: string;
  readonly database: string;
  constructor(alias: string, database: string, admin: string, cause: unknown) {
    super('FBS_DATABASE_CREATE', `Cannot create database '${database}' (alias '${alias}') as ${admin}: ${describeCause(cause)}. The admin role needs CREATEDB (set \`admin\` in the config to another connection).`, { cause });
    this.alias = alias;
    this.database = database;
  }
}

interface Target {
  readonly alias: string;
  readonly config: NormalizedDatabaseConfig;
}

/**
 * Creates the configured databases that do not exist yet (Rails `db:create`), each with
 * `CREATE DATABASE` on an administrative connection to its server, owned by the alias's user when
 * the admin is another role. Idempotent; a database another process creates meanwhile counts as
 * `exists`. Every name is checked before any SQL runs ({@link checkDatabaseNames}); the report lists
 * each database, also when some failed.
 *
 * @example
 * ```ts
 * const report = await createMissingDatabases(project, { databases: ['default', 'licensing'] });
 * // { databases: [{ alias: 'default', database: 'fbs_system_db', outcome: 'created' }, …], failed: 0 }
 * ```
 */
export async function createMissingDatabases(project: Project, options: CreateDatabasesOptions = {}): Promise<CreateDatabasesReport> {
  const connections = project.connections;
  const aliases = options.databases === undefined ? connections.aliases() : [...new Set(options.databases)];
  for (const alias of aliases) if (!connections.has(alias)) throw new UnknownDatabaseError(alias, connections.aliases(), 'db create');
  const targets: Target[] = aliases.map((alias) => ({ alias, config: connections.config(alias) }));
  for (const { alias, config } of targets) dialectFor(config.dialect, `Database '${alias}'`);
  checkDatabaseNames(targets.map(({ alias, config }) => ({ alias, database: config.database })));
  const admin = options.admin === undefined ? undefined : normalizeDatabaseConfig('admin', options.admin);
  const groups = new Map<string, { admin: NormalizedDatabaseConfig; targets: Target[] }>();
  for (const target of targets) {
    const server = adminFor(target.config, admin);
    const key = `${server.host}:${server.port}:${server.username}:${server.database}`;
    const group = groups.get(key) ?? { admin: server, targets: [] };
    group.targets.push(target);
    groups.set(key, group);
  }
  const done = new Map<string, DatabaseCreation>();
  for (const group of groups.values()) for (const creation of await createOnServer(group.admin, group.targets)) done.set(creation.alias, creation);
  const databases = aliases.map((alias) => done.get(alias)!);
  return { databases, failed: databases.filter((d) => d.outcome === 'failed').length };
}

/** The given admin for aliases on its server; otherwise the alias's own credentials in the `postgres` database. */
function adminFor(config: NormalizedDatabaseConfig, admin: NormalizedDatabaseConfig | undefined): NormalizedDatabaseConfig {
  const sameServer = admin && (admin.host ?? 'localhost') === (config.host ?? 'localhost') && (admin.port ?? 5432) === (config.port ?? 5432);
  return sameServer ? admin : { ...config, database: 'postgres' };
}

async function createOnServer(admin: NormalizedDatabaseConfig, targets: readonly Target[]): Promise<DatabaseCreation[]> {
  const shown = describeDatabase(admin);
  const dialect = dialectFor(admin.dialect, 'The admin connection');
  let connection: DriverConnection;
  try {
    connection = await dialect.connect('admin', admin, { applicationName: 'fbs-migrate db create' });
  } catch (error) {
    const failure = isConnectionFailure(error) ? (alias: string) => new DatabaseUnavailableError(alias, shown, error) : () => (error as Error);
    return targets.map(({ alias, config }) => ({ alias, database: config.database, outcome: 'failed' as const, error: failure(alias) }));
  }
  try {
    const existing = await dialect.admin.existingDatabases(connection, targets.map((t) => t.config.database));
    const results: DatabaseCreation[] = [];
    for (const { alias, config } of targets) {
      const database = config.database;
      if (existing.has(database)) {
        results.push({ alias, database, outcome: 'exists' });
        continue;
      }
      const owner = config.username && config.username !== admin.username ? config.username : undefined;
      try {
        log('CREATE DATABASE %s%s', database, owner ? ` OWNER ${owner}` : '');
        await dialect.admin.createDatabase(connection, database, owner ? { owner } : {});
        existing.add(database);
        results.push({ alias, database, outcome: 'created' });
      } catch (error) {
        // Another process's CREATE DATABASE may win the race: duplicate_database, or a unique violation in pg_database.
        const category = dialect.classifyError(error);
        if (category === 'duplicate-database' || category === 'unique-violation') results.push({ alias, database, outcome: 'exists' });
        else results.push({ alias, database, outcome: 'failed', error: new DatabaseCreateError(alias, database, shown, error) });
      }
    }
    return results;
  } finally {
    await connection.close();
  }
}
