import type { Project } from '@fbs/core';

/**
 * Runs `fn` on `alias` and closes the alias's pool afterwards if this call opened it: a command
 * over a thousand databases must not keep a thousand pools open.
 *
 * @example
 * ```ts
 * const rows = await withConnection(project, 'djo_acme_db', () => readHistory(project, 'djo_acme_db', 'fbs_migrations'));
 * ```
 */
export async function withConnection<T>(project: Project, alias: string, fn: () => Promise<T>): Promise<T> {
  const connections = project.connections;
  const [wasOpen, hadMigration] = [connections.isOpen(alias), connections.isMigrationOpen(alias)];
  try {
    return await fn();
  } finally {
    if (!wasOpen && connections.isOpen(alias)) await connections.closeOne(alias);
    else if (!hadMigration && connections.isMigrationOpen(alias)) await connections.closeMigration(alias); // the direct pool of `migrationUrl`
  }
}
