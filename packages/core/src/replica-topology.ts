import type { DatabaseConfig } from './database-config';
import { ConfigurationError } from './errors';

/** The replica part of a database alias's config, as the user wrote it. */
export interface ReplicaConfig {
  /**
   * Streaming replicas of this database (URLs or Sequelize options), reachable as
   * `alias@replica1`, `alias@replica2`, … Routed reads outside a transaction go to one of them.
   */
  readonly replicas?: readonly DatabaseConfig[];
  /** A replica lagging more than this many milliseconds behind the primary is skipped (default 5000). */
  readonly maxLagMs?: number;
  /** `false` keeps routed reads on the primary (the replicas stay reachable by name). Default true. */
  readonly replicaReads?: boolean;
}

/** The replicas of one alias after validation. */
export interface ReplicaTopology {
  /** `alias@replicaN` → the replica's config. */
  readonly replicas: ReadonlyMap<string, DatabaseConfig>;
  readonly maxLagMs: number;
  readonly replicaReads: boolean;
}

/** The separator of a replica's alias: `default@replica1`. */
export const REPLICA_SEPARATOR = '@';

const KEYS = ['replicas', 'maxLagMs', 'replicaReads'] as const;

/** The replica settings of `config` (none for a URL string), validated; errors name the alias and the fix. */
export function replicaTopology(alias: string, config: DatabaseConfig): ReplicaTopology | undefined {
  if (!config || typeof config !== 'object') return undefined;
  const { replicas, maxLagMs = 5_000, replicaReads = true } = config as ReplicaConfig;
  if (replicas === undefined) {
    const stray = KEYS.find((k) => k !== 'replicas' && (config as Record<string, unknown>)[k] !== undefined);
    if (stray) throw new ConfigurationError(`Database '${alias}': \`${stray}\` is set but \`replicas\` is not. Add replicas: ['postgres://replica-host/db', …] or drop \`${stray}\`.`);
    return undefined;
  }
  if (!Array.isArray(replicas)) {
    throw new ConfigurationError(`Database '${alias}': \`replicas\` must be an array of URLs or option objects, got ${typeof replicas}.`);
  }
  if (alias.includes(REPLICA_SEPARATOR)) {
    throw new ConfigurationError(`Database '${alias}': an alias with replicas cannot contain '${REPLICA_SEPARATOR}' (it names replicas: '${alias}${REPLICA_SEPARATOR}replica1').`);
  }
  if (typeof maxLagMs !== 'number' || !(maxLagMs > 0) || !Number.isFinite(maxLagMs)) {
    throw new ConfigurationError(`Database '${alias}': maxLagMs must be a positive number of milliseconds, got ${JSON.stringify(maxLagMs)}.`);
  }
  if (typeof replicaReads !== 'boolean') {
    throw new ConfigurationError(`Database '${alias}': replicaReads must be true or false, got ${JSON.stringify(replicaReads)}.`);
  }
  const named = new Map<string, DatabaseConfig>();
  replicas.forEach((replica, i) => {
    if (typeof replica !== 'string' && (!replica || typeof replica !== 'object')) {
      throw new ConfigurationError(`Database '${alias}': replicas[${i}] must be a URL or an options object, got ${replica === null ? 'null' : typeof replica}.`);
    }
    if (typeof replica === 'object' && (replica as ReplicaConfig).replicas !== undefined) {
      throw new ConfigurationError(`Database '${alias}': replicas[${i}] has replicas of its own; list every replica under '${alias}'.`);
    }
    named.set(`${alias}${REPLICA_SEPARATOR}replica${i + 1}`, replica);
  });
  return { replicas: named, maxLagMs, replicaReads };
}

/** `config` without the replica keys (what Sequelize gets). */
export function withoutReplicaKeys<T>(config: T): T {
  if (!config || typeof config !== 'object') return config;
  const copy = { ...(config as Record<string, unknown>) };
  for (const key of KEYS) delete copy[key];
  return copy as T;
}
