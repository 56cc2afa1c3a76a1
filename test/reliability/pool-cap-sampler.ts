import { Client } from 'pg';
import { testServer } from '../harness/postgres';

/** Continuous samples, on the server itself, of the backends connected to databases named `prefix…`. */
export interface ServerSampler {
  /** The most backends seen at once. */
  max(): number;
  /** How many samples were taken. */
  samples(): number;
  stop(): Promise<void>;
}

/**
 * Samples `SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'prefix%'` back to back on a
 * direct `pg` connection (not through the SDK) until stopped.
 */
export async function sampleServerConnections(prefix: string): Promise<ServerSampler> {
  const client = new Client({ connectionString: (await testServer()).url('postgres') });
  await client.connect();
  return sampleMax(
    async () => (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1', [`${prefix}%`])).rows[0].n,
    () => client.end(),
  );
}

/** Runs `count` back to back until stopped, keeping the largest answer; `close` runs after the last sample. */
export function sampleMax(count: () => Promise<number>, close: () => Promise<void> = async () => undefined): ServerSampler {
  let max = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      max = Math.max(max, await count());
      samples++;
    }
  })();
  return {
    max: () => max,
    samples: () => samples,
    stop: async () => {
      running = false;
      await loop;
      await close();
    },
  };
}
