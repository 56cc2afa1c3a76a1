import type { Model } from 'sequelize';
import { getAssociations, getOptions } from 'sequelize-typescript';
import type { App, ModelClass } from './app';
import { AppRegistryError } from './errors';
import type { ModelMeta } from './router';

/** A registered model's association, as declared with sequelize-typescript decorators. */
export interface AssociationInfo {
  readonly source: ModelMeta;
  readonly target: ModelMeta;
  /** The property name (`as`). */
  readonly as: string;
}

/**
 * The apps of a project and the models they register, keyed by model class.
 * Registration errors: a label used twice, a model in two apps, a class without `@Table`,
 * an association to a model no app registers.
 */
export class AppRegistry {
  readonly #apps = new Map<string, App>();
  readonly #metas = new Map<Function, ModelMeta>();

  constructor(apps: readonly App[]) {
    if (!Array.isArray(apps)) throw new AppRegistryError('`apps` must be an array of defineApp() results.');
    for (const app of apps) this.#register(app);
    for (const meta of this.#metas.values()) this.associations(meta);
  }

  /** Apps in registration order (the "app order" migrations are planned in). */
  apps(): App[] {
    return [...this.#apps.values()];
  }

  app(label: string): App | undefined {
    return this.#apps.get(label);
  }

  /** Every registered model's meta. */
  models(): ModelMeta[] {
    return [...this.#metas.values()];
  }

  /** The meta of a registered model class, or undefined. */
  find(model: Function): ModelMeta | undefined {
    return this.#metas.get(model);
  }

  /** The meta of a registered model class; an error that says how to register it otherwise. */
  meta(model: Function): ModelMeta {
    const meta = this.#metas.get(model);
    if (meta) return meta;
    const name = typeof model === 'function' ? model.name || '(anonymous class)' : String(model);
    throw new AppRegistryError(
      `Model ${name} is not registered in any app. Add it to an app: defineApp({ label: 'my_app', models: [${name}] }), ` +
        `and pass the app in the project's \`apps\`. (Django: "Model class doesn't declare an explicit app_label".)`,
    );
  }

  /** The associations a model declares, with both ends resolved to registered models. */
  associations(meta: ModelMeta): AssociationInfo[] {
    const declared = getAssociations(meta.model.prototype) ?? [];
    return declared.map((association) => {
      const targetClass = association.getAssociatedClass() as Function;
      const target = this.#metas.get(targetClass);
      if (!target) {
        throw new AppRegistryError(
          `${meta.label}.${association.getAs()} refers to ${targetClass?.name ?? String(targetClass)}, which is not registered in any app. ` +
            `Register ${targetClass?.name} in an app, or remove the association.`,
        );
      }
      return { source: meta, target, as: String(association.getAs()) };
    });
  }

  #register(app: App): void {
    if (!app || typeof app !== 'object' || typeof app.label !== 'string' || !Array.isArray(app.models)) {
      throw new AppRegistryError(`Every entry of \`apps\` must come from defineApp({ label, models }); got ${String(app)}.`);
    }
    if (this.#apps.has(app.label)) {
      throw new AppRegistryError(`Two apps have the label '${app.label}'. App labels must be unique; rename one of them.`);
    }
    for (const model of app.models) {
      const existing = this.#metas.get(model);
      if (existing) {
        throw new AppRegistryError(
          `Model ${model.name} is registered in two apps, '${existing.appLabel}' and '${app.label}'. A model belongs to one app; remove it from one.`,
        );
      }
      if (!getOptions(model.prototype)) {
        throw new AppRegistryError(`Model ${model.name} (app '${app.label}') has no @Table decorator. Decorate the class with @Table.`);
      }
      this.#metas.set(model, Object.freeze({ appLabel: app.label, modelName: model.name, label: `${app.label}.${model.name}`, model: model as ModelClass<Model> }));
    }
    this.#apps.set(app.label, app);
  }
}
