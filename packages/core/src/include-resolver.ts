import type { Model, ModelStatic } from 'sequelize';
import { CrossDatabaseError } from './errors';
import { baseModel, repositoryAlias } from './instance-state';

/** Gives the repository of a model class on a database alias. */
export type RepositoryLookup = (alias: string, model: Function) => ModelStatic<Model>;

/**
 * Rewrites `include` (recursively, `through` included) so that every model in it is the
 * repository of the same database as the query. A model class resolves to its repository there;
 * a repository of another database is refused, naming both databases. Returns `include` itself
 * when nothing needs to change.
 */
export function resolveIncludes(include: unknown, alias: string, lookup: RepositoryLookup, owner: string): unknown {
  if (include === undefined || include === null) return include;
  if (Array.isArray(include)) {
    let changed = false;
    const out = include.map((item) => {
      const resolved = resolveIncludes(item, alias, lookup, owner);
      if (resolved !== item) changed = true;
      return resolved;
    });
    return changed ? out : include;
  }
  if (typeof include === 'function') return resolveModel(include, alias, lookup, owner);
  if (typeof include !== 'object') return include;
  const item = include as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const set = (key: string, value: unknown) => {
    if (value !== item[key]) (out ??= { ...item })[key] = value;
  };
  if (typeof item.model === 'function') set('model', resolveModel(item.model, alias, lookup, owner));
  if (item.include !== undefined) set('include', resolveIncludes(item.include, alias, lookup, owner));
  if (item.through && typeof item.through === 'object') {
    const through = item.through as Record<string, unknown>;
    if (typeof through.model === 'function') {
      const model = resolveModel(through.model, alias, lookup, owner);
      if (model !== through.model) set('through', { ...through, model });
    }
  }
  return out ?? include;
}

function resolveModel(model: Function, alias: string, lookup: RepositoryLookup, owner: string): Function {
  const other = repositoryAlias(model);
  if (other !== undefined && other !== alias) {
    throw new CrossDatabaseError(
      `Cross-database include refused: ${owner} is queried on database '${alias}' but the include ` +
        `${model.name} is bound to database '${other}'. Include the model class itself (it resolves to ` +
        `'${alias}'), or query '${other}' separately.`,
      [alias, other],
    );
  }
  return other === alias ? model : lookup(alias, baseModel(model));
}
