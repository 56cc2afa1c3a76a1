import type { Model, ModelStatic } from 'sequelize';
import type { ModelMeta } from './router';

/** The two routing decisions. */
export type RouteKind = 'read' | 'write';

/** What a routed model needs from its project. */
export interface RoutedModelHost {
  route(kind: RouteKind, meta: ModelMeta): string;
  /** The route of `meta` when it cannot depend on hints (computed once), else undefined. */
  staticRoute(kind: RouteKind, meta: ModelMeta): string | undefined;
  /** `alias` if configured, else the routing error for `kind` of `meta`. */
  known(alias: string, kind: RouteKind, meta: ModelMeta): string;
  repository(alias: string, model: Function): ModelStatic<Model>;
  prepare(alias: string, options: any, meta: ModelMeta): any;
  checkAlias(alias: string): void;
  /** The database whose class makes an unsaved instance (no router is asked). */
  buildAlias(meta: ModelMeta): string;
  /** Marks an instance as having no database until its first save. */
  markUnbound(instance: Model): void;
}

