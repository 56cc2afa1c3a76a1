import type { ServerAdmin } from './server-admin';

/** What the tracker needs of a `SolutionManager` (@fbs/solutions). */
export interface SolutionSource {
  on(event: 'database:created', listener: (event: { solution: string; database: string }) => void): unknown;
  off(event: 'database:created', listener: (event: { solution: string; database: string }) => void): unknown;
  drop(name: string, options: { confirm: string }): Promise<void>;
}

/**
 * Records the solutions `manager` creates from now on; the returned function drops them: through
 * the manager when its catalogue still knows them, else (their catalogue row was rolled back with
 * the test) their databases directly.
 */
export function trackSolutions(manager: SolutionSource, admin: ServerAdmin): () => Promise<void> {
  const created = new Map<string, Set<string>>();
  const listener = ({ solution, database }: { solution: string; database: string }) => {
    const databases = created.get(solution) ?? new Set<string>();
    databases.add(database);
    created.set(solution, databases);
  };
  manager.on('database:created', listener);
  return async () => {
    manager.off('database:created', listener);
    for (const [solution, databases] of created) {
      await manager.drop(solution, { confirm: solution }).catch(() => undefined);
      for (const database of databases) await admin.drop(database);
    }
  };
}
