import { randomBytes } from 'node:crypto';
import { ConfigurationError, type NormalizedDatabaseConfig, type Project } from '@fbs/core';
import { Client } from 'pg';
import { TenantLeakError } from './errors';
import { quoteIdent } from './server-admin';

/** What `assertTenantIsolation` needs of a `SolutionManager` (@fbs/solutions). */
export interface TenantManager {
  readonly project: Project;
  create(name: string): Promise<unknown>;
  drop(name: string, options: { confirm: string }): Promise<void>;
  databases(name: string): Promise<string[]>;
  withSolution<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
}

/** What the scenario gets, per solution. */
export interface TenantScenarioContext {
  readonly solution: string;
  /** A token unique to this solution: put it in a text column of every row the scenario writes. */
  readonly marker: string;
  readonly index: number;
  readonly project: Project;
}

/** Options of {@link assertTenantIsolation}. */
export interface TenantIsolationOptions {
  /** How many solutions (default 2; at least 2). */
  readonly count?: number;
  /** Solution names (default `iso_<random>_<i>`). */
  readonly names?: readonly string[];
  /** The system aliases nothing may reach (default: every alias of the project before the solutions exist). */
  readonly systemAliases?: readonly string[];
  /** Keep the solutions afterwards (default: dropped). */
  readonly keep?: boolean;
}

/** What the check saw. */
export interface TenantIsolationReport {
  readonly solutions: readonly string[];
  /** Per solution, per database: the rows carrying its marker. */
  readonly rows: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * A tenant-leak conformance check for the user's app: creates two or more solutions, runs
 * `scenario` for each of them concurrently inside `withSolution`, then asserts over direct
 * connections that every row carrying a solution's marker is in that solution's databases, that
 * each solution's databases hold its own rows (the scenario wrote something), and that no system
 * database changed (its tables are compared before and after, through the project's connections so
 * that a test's open transaction is seen). Throws a {@link TenantLeakError} listing every leak.
 *
 * @example
 * ```ts
 * await assertTenantIsolation(solutions, async ({ project, marker }) => {
 *   await project.model(Partner).create({ name: marker });
 *   await project.model(Note).create({ text: `${marker} note` });
 * });
 * ```
 */
export async function assertTenantIsolation(manager: TenantManager, scenario: (context: TenantScenarioContext) => Promise<unknown>, options: TenantIsolationOptions = {}): Promise<TenantIsolationReport> {
  const { project } = manager;
  const count = options.names?.length ?? options.count ?? 2;
  if (!Number.isInteger(count) || count < 2) throw new ConfigurationError(`assertTenantIsolation() needs at least 2 solutions, got ${count}.`);
  const run = randomBytes(4).toString('hex');
  const names = options.names ?? Array.from({ length: count }, (_, i) => `iso_${run}_${i}`);
  const systemAliases = options.systemAliases ?? project.connections.aliases();
  const markers = names.map((_, i) => `fbs-leak-check-${run}-${i}`);
  const created: string[] = [];
  try {
    for (const name of names) {
      await manager.create(name);
      created.push(name);
    }
    const before = await Promise.all(systemAliases.map((alias) => tableHashes(project, alias)));
    await Promise.all(names.map((solution, index) => manager.withSolution(solution, () => scenario({ solution, marker: markers[index]!, index, project }))));
    const leaks: string[] = [];
    const rows: Record<string, Record<string, number>> = {};
    for (const [index, solution] of names.entries()) {
      rows[solution] = {};
      for (const database of await manager.databases(solution)) {
        const found = await markerCounts(project.connections.config(database), markers);
        rows[solution]![database] = found[index]!;
        for (const [other, n] of found.entries()) if (other !== index && n > 0) leaks.push(`${n} row(s) of solution '${names[other]}' are in '${database}', a database of solution '${solution}'`);
      }
      if (Object.values(rows[solution]!).every((n) => n === 0)) leaks.push(`no row carrying the marker of solution '${solution}' is in its databases (${Object.keys(rows[solution]!).join(', ')}): the scenario must write ctx.marker into the rows it creates`);
    }
    const after = await Promise.all(systemAliases.map((alias) => tableHashes(project, alias)));
    for (const [i, alias] of systemAliases.entries()) {
      for (const [table, hash] of after[i]!) if (before[i]!.get(table) !== hash) leaks.push(`system database '${alias}' changed while the scenarios ran (table ${table})`);
    }
    if (leaks.length > 0) throw new TenantLeakError(leaks);
    return { solutions: names, rows };
  } finally {
    if (!options.keep) for (const name of created) await manager.drop(name, { confirm: name }).catch(() => undefined);
  }
}

/** Per table of `alias`: a hash of its rows (read through the project, so a test's transaction is seen). */
async function tableHashes(project: Project, alias: string): Promise<Map<string, string>> {
  const sequelize = project.connections.get(alias);
  const [tables] = (await sequelize.query("SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")) as [{ schemaname: string; tablename: string }[], unknown];
  const result = new Map<string, string>();
  for (const { schemaname, tablename } of tables) {
    const name = `${quoteIdent(schemaname)}.${quoteIdent(tablename)}`;
    const [[row]] = (await sequelize.query(`SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS hash FROM ${name} t`)) as [{ hash: string }[], unknown];
    result.set(`${schemaname}.${tablename}`, row!.hash);
  }
  return result;
}

/** How many rows of each database table carry each marker, over a direct connection. */
async function markerCounts(config: NormalizedDatabaseConfig, markers: readonly string[]): Promise<number[]> {
  const ssl = (config.dialectOptions as { ssl?: unknown } | undefined)?.ssl;
  const client = new Client({ host: config.host, port: Number(config.port ?? 5432), user: config.username, password: config.password ?? undefined, database: config.database, ...(ssl ? { ssl } : {}) } as object);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
    const counts = markers.map(() => 0);
    for (const { name } of tables) {
      const selects = markers.map((_, i) => `count(*) FILTER (WHERE strpos(t::text, $${i + 1}) > 0)::int AS m${i}`).join(', ');
      const { rows } = await client.query(`SELECT ${selects} FROM ${name} t`, [...markers]);
      markers.forEach((_, i) => (counts[i]! += rows[0][`m${i}`] as number));
    }
    return counts;
  } finally {
    await client.end().catch(() => undefined);
  }
}
