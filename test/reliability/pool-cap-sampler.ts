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
  const server = await testServer();
  const client = new Client({ connectionString: server.url('postgres') });
  await client.connect();
  let max = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1', [`${prefix}%`]);
      max = Math.max(max, rows[0].n);
      samples++;
    }
  })();
  return {
    max: () => max,
    samples: () => samples,
    stop: async () => {
      running = false;
      await loop;
      await client.end();
    },
  };
}
