import { readFile } from 'node:fs/promises';
import { ConfigurationError, type Project } from '@fbs/core';

/** JSON fixture rows of one model (Django's fixture format, grouped): `{ "model": "app_label.ModelName", "rows": [...] }`. */
export interface FixtureRows {
  readonly model: string;
  readonly rows: readonly Record<string, unknown>[];
}

/** A TS factory: writes what it likes through the project (routed, on `alias`). */
export type FixtureFactory = (context: { project: Project; alias: string }) => Promise<unknown> | unknown;

/** One fixture: rows, a factory, or the path of a JSON file holding a `FixtureRows` or an array of them. */
export type Fixture = FixtureRows | FixtureFactory | string;

/** Fixtures per alias. */
export type Fixtures = Readonly<Record<string, readonly Fixture[]>>;

/**
 * Loads fixtures on their aliases, in order, through the routers: a model is written on an alias
 * only where `allowMigrate(alias, appLabel, { modelName })` allows it (else a clear error), with
 * `project.using(alias, Model).bulkCreate(rows)`; a factory runs with the alias as the `database`
 * hint. Inside a test they join its transaction, so they are rolled back with it.
 *
 * @example
 * ```ts
 * await loadFixtures(project, { licensing: ['test/fixtures/tiers.json', ({ project }) => project.model(Tier).create({ name: 'gold' })] }, ['licensing']);
 * ```
 */
export async function loadFixtures(project: Project, fixtures: Fixtures, declared: readonly string[]): Promise<void> {
  for (const [alias, list] of Object.entries(fixtures)) {
    if (!declared.includes(alias)) throw new ConfigurationError(`Fixtures for '${alias}': the test does not declare that database (declared: ${declared.map((a) => `'${a}'`).join(', ')}).`);
    for (const fixture of list) {
      if (typeof fixture === 'function') await project.withHints({ database: alias }, () => fixture({ project, alias }));
      else for (const rows of typeof fixture === 'string' ? await readJson(fixture) : [fixture]) await loadRows(project, alias, rows);
    }
  }
}

async function readJson(path: string): Promise<FixtureRows[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`Fixture file ${path}: ${(error as Error).message}`, { cause: error });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const entry of list) {
    if (!entry || typeof entry.model !== 'string' || !Array.isArray(entry.rows)) throw new ConfigurationError(`Fixture file ${path}: each entry must be { "model": "app_label.ModelName", "rows": [ … ] }.`);
  }
  return list as FixtureRows[];
}

async function loadRows(project: Project, alias: string, fixture: FixtureRows): Promise<void> {
  const meta = project.apps.models().find((m) => m.label === fixture.model || `${m.appLabel}.${m.modelName}`.toLowerCase() === fixture.model.toLowerCase());
  if (meta === undefined) {
    throw new ConfigurationError(`Fixture model '${fixture.model}' is not registered; known: ${project.apps.models().map((m) => m.label).join(', ') || '(none)'}.`);
  }
  if (!project.allowMigrate(alias, meta.appLabel, { modelName: meta.modelName })) {
    throw new ConfigurationError(`Fixture model '${meta.label}' does not live on '${alias}' (the routers' allowMigrate refuses it); put its rows under the alias it migrates to.`);
  }
  await project.using(alias, meta.model as any).bulkCreate(fixture.rows as any[]);
}
