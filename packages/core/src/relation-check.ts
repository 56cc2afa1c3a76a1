import type { Model, ModelStatic } from 'sequelize';
import { RelationNotAllowedError } from './errors';
import { baseModel, instanceDatabase, isUnbound, repositoryAlias } from './instance-state';
import type { RoutingHints } from './router';
import type { RouterChain } from './router-chain';

/** What checking a relation needs from its project. */
export interface RelationCheckHost {
  readonly router: RouterChain;
  hints(): RoutingHints;
  /** Where an unbound instance would be written, with `other` as the instance hint. */
  wouldWrite(instance: Model, other: Model): string;
}

/**
 * Django's related-object descriptors: relating `related` to `instance` through `as` asks the
 * routers' `allowRelation(related, instance)`; with no opinion, both must be on one database. An
 * unsaved side counts as where it would be written. Throws `RelationNotAllowedError` otherwise.
 */
export function checkRelation(host: RelationCheckHost, related: Model, instance: Model, as: string): void {
  const answer = host.router.askRelation(related, instance, { ...host.hints(), association: as });
  if (answer === true) return;
  const a = relationDb(host, related, instance);
  const b = relationDb(host, instance, related);
  if (answer === undefined && (a === b || (related.isNewRecord && instance.isNewRecord))) return;
  throw new RelationNotAllowedError(
    `Cannot assign ${describeInstance(related)} (database '${a}') to ${describeInstance(instance)}.${as} (database '${b}'): ` +
      `the current database router prevents this relation. Keep related rows on one database, ` +
      `or relate them by a plain column and query each database separately.`,
  );
}

function relationDb(host: RelationCheckHost, instance: Model, other: Model): string | undefined {
  const db = instanceDatabase(instance);
  if (db !== undefined || !instance.isNewRecord) return db;
  if (!isUnbound(instance)) return repositoryAlias(instance.constructor);
  return host.wouldWrite(instance, other);
}

function describeInstance(instance: Model): string {
  const name = (baseModel(instance.constructor) as { name: string }).name;
  const pk = instance.isNewRecord ? 'unsaved' : String(instance.get((instance.constructor as ModelStatic<Model>).primaryKeyAttribute));
  return `<${name}: ${pk}>`;
}
