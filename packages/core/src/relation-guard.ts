import { Model, type ModelStatic } from 'sequelize';

/** Checks that two objects may be related; throws otherwise. */
export type RelationCheck = (source: Model, target: Model, association: string) => void;

const ASSIGNERS = ['set', 'add', 'addMultiple'] as const;

/**
 * Wraps the association setters of a repository (`setX`, `addX`, `addXs`) so that relating two
 * objects asks the routers' `allowRelation` first, like Django's related-object descriptors.
 */
export function guardAssociations(repository: ModelStatic<Model>, check: RelationCheck): void {
  const proto = repository.prototype as unknown as Record<string, unknown>;
  for (const [as, association] of Object.entries(repository.associations)) {
    const accessors = (association as unknown as { accessors: Record<string, string> }).accessors;
    for (const kind of ASSIGNERS) {
      const name = accessors[kind];
      if (!name || !Object.prototype.hasOwnProperty.call(proto, name)) continue;
      const original = proto[name] as (this: Model, ...args: unknown[]) => unknown;
      proto[name] = function (this: Model, targets: unknown, ...rest: unknown[]) {
        for (const target of Array.isArray(targets) ? targets : [targets]) {
          if (target instanceof Model) check(this, target, as);
        }
        return original.call(this, targets, ...rest);
      };
    }
  }
}
