import { ConfigurationError } from '@fbs/core';

/** The pool cap of solution databases (part of `SolutionsConfig`). */
export interface PoolCapConfig {
  /** Total physical connections across all solution pools. Default 20. */
  readonly maxConnections?: number;
  /** Connections one solution database may hold (its pool's `max`). Default 2. */
  readonly perSolution?: number;
  /** A solution pool unused this long (ms) is closed, connections and Sequelize instance. Default 10 000. */
  readonly idleMs?: number;
  /** How long a connection may wait for a slot under the cap before failing (ms). Default 30 000. */
  readonly acquireTimeoutMs?: number;
}

/** Fills in the defaults and checks the cap's numbers; `kinds` is how many databases a solution has. */
export function resolvePoolCap(config: PoolCapConfig = {}, kinds = 1): Readonly<Required<PoolCapConfig>> {
  const resolved = Object.freeze({ maxConnections: 20, perSolution: 2, idleMs: 10_000, acquireTimeoutMs: 30_000, ...config });
  for (const key of ['maxConnections', 'perSolution', 'idleMs', 'acquireTimeoutMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`pool.${key} must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  const { maxConnections, perSolution } = resolved;
  if (perSolution * kinds > maxConnections) {
    throw new ConfigurationError(
      `pool.maxConnections (${maxConnections}) is below what one solution may hold: pool.perSolution (${perSolution}) × ${kinds} databases = ${perSolution * kinds}, ` +
        `so a solution could wait forever for its own next connection. Set pool.maxConnections to at least ${perSolution * kinds}, or lower pool.perSolution.`,
    );
  }
  return resolved;
}

/**
 * Refuses a migration concurrency the cap cannot hold: each database migrated at once needs
 * `perSolution` connections (the lock's and the migration's).
 */
export function checkMigrationConcurrency(concurrency: number, pool: Readonly<Required<PoolCapConfig>>, option: string): void {
  const { maxConnections, perSolution } = pool;
  if (concurrency * perSolution > maxConnections) {
    throw new ConfigurationError(
      `${option} (${concurrency}) × pool.perSolution (${perSolution}) = ${concurrency * perSolution} connections exceeds pool.maxConnections (${maxConnections}). ` +
        `Lower ${option} to at most ${Math.floor(maxConnections / perSolution)}, or raise pool.maxConnections to at least ${concurrency * perSolution}.`,
    );
  }
}
