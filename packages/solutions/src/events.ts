import type { SolutionInfo } from './solution-info';
import type { SolutionManager } from './solution-manager';

/** How a solution database came to be. */
export type ProvisionedVia = 'template' | 'empty' | 'existing';

/**
 * Events of `SolutionManager` (notifications; the library never prints). Listeners are not awaited:
 * use a {@link SolutionPlugin} for work that must finish before `create()` returns.
 */
export interface SolutionEvents {
  /** Creation started (`repairing`: an interrupted creation is being finished). */
  creating: [{ solution: string; repairing: boolean }];
  /** One database of a solution now exists. */
  'database:created': [{ solution: string; kind: string; database: string; via: ProvisionedVia }];
  /** Migrations were applied to a solution's databases (alias → names applied). */
  migrated: [{ solution: string; applied: Record<string, string[]> }];
  /** A solution is ready (both databases at head, catalogued). */
  created: [{ solution: SolutionInfo; repaired: boolean }];
  /** A solution's databases, role and catalogue entry are gone. */
  dropped: [{ solution: string; databases: string[] }];
  /** A template database (on `server`) was rebuilt for new migrations. */
  'template:refreshed': [{ server: string; kind: string; database: string; fingerprint: string }];
  /** A move finished one step (see `MOVE_STEPS`). */
  'move:step': [{ solution: string; step: string; from: Readonly<Record<string, string>>; to: Readonly<Record<string, string>> }];
  /** A solution now lives on its new servers (source dropped). */
  moved: [{ solution: string; from: Readonly<Record<string, string>>; to: Readonly<Record<string, string>>; frozenMs: number }];
  /** An interrupted move was undone (the solution stays on its source servers). */
  'move:reverted': [{ solution: string; from: Readonly<Record<string, string>>; to: Readonly<Record<string, string>>; step: string }];
}

/**
 * Lifecycle hooks an app (plugin) registers in `SolutionsConfig.plugins`; awaited in order. A hook
 * that throws fails the call; creation is then finished by the next `create()`, which runs the hook
 * again, so hooks must be idempotent.
 *
 * @example
 * ```ts
 * const seedPlugin: SolutionPlugin = {
 *   async created(solution, manager) {
 *     await manager.withSolution(solution.name, () => project.model(Preference).findOrCreate({ where: { key: 'theme' } }));
 *   },
 * };
 * ```
 */
export interface SolutionPlugin {
  created?(solution: SolutionInfo, manager: SolutionManager): Promise<void> | void;
  migrated?(solution: SolutionInfo, applied: Record<string, string[]>): Promise<void> | void;
  dropped?(solution: string): Promise<void> | void;
}
