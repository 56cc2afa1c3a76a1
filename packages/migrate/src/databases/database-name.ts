import { ConfigurationError } from '@fbs/core';

/** What a database name `db create` makes may consist of (PostgreSQL would accept more when quoted; these never need care). */
const NAME = /^[A-Za-z_][A-Za-z0-9_$-]*$/;
/** PostgreSQL's identifier limit: a longer name would be truncated silently, creating another database than configured. */
const MAX_BYTES = 63;
/** Databases every server has. */
const RESERVED = new Set(['postgres', 'template0', 'template1']);

/** Why `name` cannot be created, or undefined when it can. */
export function databaseNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'it has no database name';
  if (Buffer.byteLength(name) > MAX_BYTES) return `${Buffer.byteLength(name)} bytes is longer than PostgreSQL's ${MAX_BYTES}-byte limit (it would be truncated to another name)`;
  if (!NAME.test(name)) return 'use letters, digits, _ $ and -, starting with a letter or _';
  if (RESERVED.has(name.toLowerCase())) return 'every PostgreSQL server has it already (a maintenance or template database)';
  return undefined;
}

/**
 * Refuses, before any SQL runs, every database name that cannot be created as configured: one error
 * listing each alias, its name and why, and how to fix it.
 */
export function checkDatabaseNames(targets: readonly { alias: string; database: unknown }[]): void {
  const problems = targets.flatMap(({ alias, database }) => {
    const problem = databaseNameProblem(database);
    return problem ? [`alias '${alias}' names database ${JSON.stringify(database)}: ${problem}`] : [];
  });
  if (problems.length === 0) return;
  throw new ConfigurationError(
    `Cannot create ${problems.length === 1 ? 'a database' : `${problems.length} databases`} as configured; nothing was created. ` +
      `${problems.join('; ')}. Fix the name in the alias's config (its URL or DB_NAME-style variable).`,
  );
}
