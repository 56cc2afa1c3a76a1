import type { Model, ModelStatic } from 'sequelize';
import { resolveIncludes, type RepositoryLookup } from './include-resolver';

/**
 * Rewrites the includes of a repository's scopes (and default scope) to the repositories of the
 * same database, through the public `addScope(…, { override: true })`. sequelize-typescript's
 * repository mode leaves a scope's `include: [Category]` pointing at the declared class, which no
 * Sequelize instance initialises ("Model not initialized").
 */
export function resolveScopeIncludes(repository: ModelStatic<Model>, alias: string, lookup: RepositoryLookup, owner: string): void {
  const options = repository.options as { scopes?: Record<string, unknown>; defaultScope?: unknown };
  const resolve = (scope: unknown): unknown => {
    if (scope === null || typeof scope !== 'object' || !('include' in scope)) return scope;
    const include = resolveIncludes((scope as { include: unknown }).include, alias, lookup, owner);
    return include === (scope as { include: unknown }).include ? scope : { ...scope, include };
  };
  const rewrite = (name: string, scope: unknown) => {
    if (typeof scope === 'function') {
      const fn = scope as (...args: unknown[]) => unknown;
      repository.addScope(name, ((...args: unknown[]) => resolve(fn(...args))) as any, { override: true });
      return;
    }
    const resolved = resolve(scope);
    if (resolved !== scope) repository.addScope(name, resolved as any, { override: true });
  };
  for (const [name, scope] of Object.entries(options.scopes ?? {})) rewrite(name, scope);
  if (options.defaultScope !== undefined) rewrite('defaultScope', options.defaultScope);
}
