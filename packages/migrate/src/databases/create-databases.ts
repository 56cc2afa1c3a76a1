import { DatabaseUnavailableError, describeDatabase, FbsError, isConnectionFailure, normalizeDatabaseConfig, UnknownDatabaseError, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import createDebug from 'debug';
import { adapterFor } from '../dialect/adapter-for';
import { postgresClient } from '../dialect/postgres-adapter';
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
  for (const { alias, config } of targets) adapterFor(alias, config.dialect);
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
  const client = postgresClient(admin);
  try {
    await client.connect();
  } catch (error) {
    const failure = isConnectionFailure(error) ? (alias: string) => new DatabaseUnavailableError(alias, shown, error) : () => (error as Error);
    return targets.map(({ alias, config }) => ({ alias, database: config.database, outcome: 'failed' as const, error: failure(alias) }));
  }
  try {
    const names = targets.map((t) => t.config.database);
    const existing = new Set<string>((await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1::text[])', [names])).rows.map((r: { datname: string }) => r.datname));
    const results: DatabaseCreation[] = [];
    for (const { alias, config } of targets) {
      const database = config.database;
      if (existing.has(database)) {
        results.push({ alias, database, outcome: 'exists' });
        continue;
      }
      const owner = config.username && config.username !== admin.username ? ` OWNER ${postgresQuote(config.username)}` : '';
      const sql = `CREATE DATABASE ${postgresQuote(database)}${owner}`;
      try {
        log('%s', sql);
        await client.query(sql);
        existing.add(database);
        results.push({ alias, database, outcome: 'created' });
      } catch (error) {
        // 42P04 duplicate_database, or 23505 when another process's CREATE DATABASE won the race.
        const code = (error as { code?: string }).code;
        if (code === '42P04' || code === '23505') results.push({ alias, database, outcome: 'exists' });
        else results.push({ alias, database, outcome: 'failed', error: new DatabaseCreateError(alias, database, shown, error) });
      }
    }
    return results;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresQuote(identifier: string): string {
  return adapterFor('admin', 'postgres').quote(identifier);
}
