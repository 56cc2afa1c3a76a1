import { ConfigurationError, type Project } from '@fbs/core';

type MigratorModule = typeof import('@fbs/migrate');

async function migrateModule(): Promise<MigratorModule> {
  try {
    return await import('@fbs/migrate');
  } catch (error) {
    throw new ConfigurationError('@fbs/testing migrates test databases with @fbs/migrate: install it (npm install -D @fbs/migrate), or pass `migrate: (project, aliases) => …`.', { cause: error });
  }
}

/** Applies every pending migration of `aliases` (the default `migrate`). */
export async function migrateWithMigrator(project: Project, aliases: readonly string[]): Promise<void> {
  const { Migrator } = await migrateModule();
  await new Migrator(project).up({ databases: aliases });
}

/** The migrator's fingerprint of `alias` (names and checksums of its planned migrations). */
export async function migratorFingerprint(project: Project, alias: string): Promise<string> {
  const { Migrator } = await migrateModule();
  const migrator = new Migrator(project);
  await migrator.load();
  return migrator.fingerprint(alias);
}
