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
  const wasOpen = project.connections.isOpen(alias);
  try {
    return await fn();
  } finally {
    if (!wasOpen && project.connections.isOpen(alias)) await project.connections.closeOne(alias);
  }
}
