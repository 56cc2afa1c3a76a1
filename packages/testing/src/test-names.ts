import { ConfigurationError, normalizeDatabaseConfig, type NormalizedDatabaseConfig } from '@fbs/core';
import { workerId, type TestDatabasesConfig } from './config';

const MAX_NAME = 63;

/** One alias of the test run: its configured database, its test database, and the alias it mirrors. */
export interface TestAlias {
  readonly alias: string;
  readonly config: NormalizedDatabaseConfig;
  /** The test database this alias uses (a mirror's is its target's). */
  readonly database: string;
  /** The template it is cloned from (undefined for mirrors). */
  readonly template: string | undefined;
  readonly mirror: string | undefined;
}

/**
 * Resolves every alias's test database name (Django's `TEST.NAME`: prefix + configured name, or the
 * given one, with the worker suffix) and its mirror; refuses unknown aliases, mirrors of mirrors,
 * names that collide or exceed PostgreSQL's 63 bytes.
 */
export function resolveTestAliases(config: TestDatabasesConfig): TestAlias[] {
  if (!config || typeof config !== 'object' || !config.databases || typeof config.project !== 'function') {
    throw new ConfigurationError('setupTestDatabases() needs { databases, project: (databases) => createProject(…) }.');
  }
  const aliases = Object.keys(config.databases);
  if (aliases.length === 0) throw new ConfigurationError('setupTestDatabases(): `databases` is empty; pass the project\'s databases.');
  const test = config.test ?? {};
  for (const alias of Object.keys(test)) {
    if (!aliases.includes(alias)) throw new ConfigurationError(`test.${alias}: '${alias}' is not one of the databases (${aliases.map((a) => `'${a}'`).join(', ')}).`);
    const mirror = test[alias]?.mirror;
    if (mirror === undefined) continue;
    if (!aliases.includes(mirror) || mirror === alias) throw new ConfigurationError(`test.${alias}.mirror: '${mirror}' is not another of the databases (${aliases.map((a) => `'${a}'`).join(', ')}).`);
    if (test[mirror]?.mirror !== undefined) throw new ConfigurationError(`test.${alias}.mirror: '${mirror}' is itself a mirror; point '${alias}' at '${test[mirror]!.mirror}'.`);
  }
  const prefix = config.prefix ?? 'test_';
  const worker = config.worker ?? workerId();
  const suffix = worker ? `_w${worker}` : '';
  const base = new Map<string, string>();
  for (const alias of aliases) {
    const normalized = normalizeDatabaseConfig(alias, config.databases[alias]!);
    if (normalized.dialect !== 'postgres') throw new ConfigurationError(`Database '${alias}': @fbs/testing creates PostgreSQL test databases; its dialect is '${normalized.dialect}'.`);
    base.set(alias, test[alias]?.name ?? `${prefix}${normalized.database}`);
  }
  const result = aliases.map((alias): TestAlias => {
    const mirror = test[alias]?.mirror;
    const name = base.get(mirror ?? alias)!;
    return { alias, config: normalizeDatabaseConfig(alias, config.databases[alias]!), mirror, database: name + suffix, template: mirror ? undefined : `${name}_template` };
  });
  const seen = new Map<string, string>();
  for (const entry of result.filter((e) => e.mirror === undefined)) {
    for (const name of [entry.database, entry.template!]) {
      if (Buffer.byteLength(name) > MAX_NAME) throw new ConfigurationError(`Test database name '${name}' (alias '${entry.alias}') is longer than ${MAX_NAME} bytes; set test.${entry.alias}.name to a shorter one.`);
      const other = seen.get(name);
      if (other !== undefined) throw new ConfigurationError(`Aliases '${other}' and '${entry.alias}' would share the test database '${name}'; give one a test.${entry.alias}.name (or make it a mirror).`);
      seen.set(name, entry.alias);
    }
  }
  return result;
}
