import type { SolutionManager } from '@fbs/solutions';

/** A solution as the demo reports it. */
export interface SolutionRow {
  readonly solution: string;
  readonly databases: readonly string[];
  /** How each database came to be this run: cloned from a template, created empty and migrated, or already there. */
  readonly how: readonly string[];
}

/** The seed's Phase 3 through @fbs/solutions: both databases of each solution, at head, catalogued. Idempotent. */
export async function createSolutions(solutions: SolutionManager, names: readonly string[]): Promise<SolutionRow[]> {
  const how = new Map<string, string>();
  const onCreated = ({ database, via }: { database: string; via: string }) =>
    how.set(database, via === 'template' ? 'created: cloned from the migrated template' : 'created and migrated');
  solutions.on('database:created', onCreated);
  try {
    const created = await Promise.all(names.map((name) => solutions.create(name)));
    return created.map((info) => {
      const databases = Object.values(info.databases);
      return { solution: info.name, databases, how: databases.map((db) => how.get(db) ?? 'existed (at head)') };
    });
  } finally {
    solutions.off('database:created', onCreated);
  }
}
