import { ConfigurationError, UnknownDatabaseError, type Project } from '@fbs/core';
import { selectApps } from './app-selection';
import { dialectFor } from '@fbs/core/dialect';
import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';
import type { DownOptions, UpOptions } from './types';

// The argument checks of Migrator's methods: each throws, before anything runs, an error naming the value and the fix.

/** The aliases a call targets (default: every configured one); unknown aliases and unsupported dialects are errors. */
export function targetAliases(project: Project, databases: readonly string[] | undefined): string[] {
  const connections = project.connections;
  if (databases !== undefined && !Array.isArray(databases)) {
    throw new ConfigurationError(`\`databases\` must be a list of aliases, got ${JSON.stringify(databases)}.`);
  }
  const aliases = databases === undefined ? connections.aliases() : [...new Set(databases)];
  for (const alias of aliases) {
    if (!connections.has(alias)) throw new UnknownDatabaseError(alias, connections.aliases(), 'migrator');
    dialectFor(connections.config(alias).dialect, `Database '${alias}'`);
  }
  return aliases;
}

/** Throws unless `name` is a shipped migration's namespaced name; names the app's last migrations. */
export function checkMigrationName(name: unknown, entries: readonly MigrationEntry[]): void {
  if (typeof name === 'string' && entries.some((e) => e.name === name)) return;
  const app = typeof name === 'string' ? name.split('/')[0] : '';
  const near = entries.filter((e) => e.appLabel === app).map((e) => e.name);
  throw new MigrationPlanError(
    `No migration is named ${JSON.stringify(name)}. Use a namespaced name 'app_label/name'` +
      (near.length ? `; app '${app}' ships ${near.slice(-5).join(', ')}.` : '; see `fbs-migrate status` for the names.'),
  );
}

/** The checked arguments of `up()`/`down()`: `to` or `step`, the lock timeout, the fake mode, the apps' migrations (`apps`). */
export function runArguments(direction: 'up' | 'down', options: UpOptions | DownOptions, entries: readonly MigrationEntry[], project: Project) {
  const { to, step } = options;
  if (to !== undefined && step !== undefined) throw new MigrationPlanError('Pass either `to` or `step`, not both.');
  if (step !== undefined && (!Number.isInteger(step) || step < 1)) throw new MigrationPlanError(`step must be a positive integer, got ${JSON.stringify(step)}.`);
  if (to !== undefined && !(to === 0 && direction === 'down')) checkMigrationName(to, entries);
  const lockTimeoutMs = options.lockTimeoutMs === undefined ? undefined : checkTimeout(options.lockTimeoutMs);
  const apps = (options as UpOptions).apps;
  const only = apps === undefined ? undefined : selectApps(entries, apps, project.apps.apps().map((a) => a.label));
  return { to, step, lockTimeoutMs, fake: fakeMode(options), only };
}

/** The runner's fake mode from `fake` / `fakeInitial`. */
export function fakeMode(options: UpOptions | DownOptions): 'all' | 'initial' | undefined {
  const { fake, fakeInitial } = options as UpOptions;
  if (fake && fakeInitial) throw new MigrationPlanError('Pass either `fake` or `fakeInitial`, not both.');
  return fake ? 'all' : fakeInitial ? 'initial' : undefined;
}

/** A lock timeout in milliseconds (0 or more). */
export function checkTimeout(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new ConfigurationError(`lockTimeoutMs must be a whole number of milliseconds (0 or more), got ${JSON.stringify(value)}.`);
}

/** A concurrency (a positive integer). */
export function checkConcurrency(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new ConfigurationError(`${what} must be a positive integer, got ${JSON.stringify(value)}.`);
}
