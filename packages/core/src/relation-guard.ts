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
      const Target = (association as unknown as { target: ModelStatic<Model> }).target;
      const key = (association as unknown as { targetKey?: string }).targetKey ?? Target.primaryKeyAttribute;
      // An allowed object of another database (e.g. a replica) is passed on by key, so Sequelize
      // links the row without ever binding that object to this database.
      const local = (target: unknown) =>
        target instanceof Model && !(target instanceof (Target as unknown as typeof Model)) ? (target as Model).get(key) : target;
      proto[name] = function (this: Model, targets: unknown, ...rest: unknown[]) {
        const list = Array.isArray(targets) ? targets : [targets];
        for (const target of list) {
          if (target instanceof Model) check(this, target, as);
        }
        return original.call(this, Array.isArray(targets) ? list.map(local) : local(targets), ...rest);
      };
    }
  }
}
