import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { asPostgres, controlCluster, freePort, startCluster, startedOrRemoved, type ClusterOptions, type ThrowawayCluster } from './cluster';

const run = promisify(execFile);
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A hot standby of a throwaway primary, fed by streaming replication. */
export interface StreamingReplica extends ThrowawayCluster {
  /** Stops applying WAL (`pg_wal_replay_pause()`): the replica serves the data as of now. */
  pause(): Promise<void>;
  /** Applies WAL again (`pg_wal_replay_resume()`). */
  resume(): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  catchUp(timeoutMs?: number): Promise<void>;
}

/** A primary with streaming replicas, all throwaway clusters on loopback ports. */
export interface ReplicatedCluster {
  readonly primary: ThrowawayCluster;
  readonly replicas: readonly StreamingReplica[];
  /** Stops every replica, then the primary. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway primary and `count` streaming replicas of it. A replica is made with
 * `pg_basebackup -R` when the binaries include it, else with the low-level base backup API
 * (`pg_backup_start`, a copy of the data directory, `pg_backup_stop`, standby.signal and
 * `primary_conninfo`) that needs only initdb, pg_ctl and postgres (the embedded package's set;
 * `FBS_BASE_BACKUP=low-level` forces that path).
 */
export async function startReplicatedCluster(count = 1, options: ClusterOptions = {}): Promise<ReplicatedCluster> {
  const primary = await startCluster({ ...options, settings: { wal_keep_size: "'128MB'", ...options.settings } });
  const replicas: StreamingReplica[] = [];
  const cluster: ReplicatedCluster = {
    primary,
    replicas,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
      await primary.stop();
    },
  };
  try {
    for (let i = 0; i < count; i++) replicas.push(await startReplica(primary));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Starts one streaming replica of `primary` on a free port. */
export async function startReplica(primary: ThrowawayCluster): Promise<StreamingReplica> {
  const parent = await mkdtemp(join(tmpdir(), 'fbs-replica-'));
  await chmod(parent, 0o777);
  if (asRoot) await run('chown', ['postgres', parent]);
  const dataDir = join(parent, 'data');
  const conninfo = `host=127.0.0.1 port=${primary.port} user=postgres application_name=${parent.split('-').pop()}`;
  if (process.env.FBS_BASE_BACKUP !== 'low-level' && existsSync(join(primary.binDir, 'pg_basebackup'))) {
    await asPostgres(join(primary.binDir, 'pg_basebackup'), ['-D', dataDir, '-d', conninfo, '-R', '-X', 'stream', '-c', 'fast']);
  } else {
    await lowLevelBaseBackup(primary, dataDir, conninfo);
  }
  const port = await freePort();
  await appendFile(join(dataDir, 'postgresql.conf'), `\nport = ${port}\nunix_socket_directories = '${parent}'\nhot_standby = on\nhot_standby_feedback = on\nmax_standby_streaming_delay = -1\n`);
  const base = controlCluster(primary.binDir, parent, dataDir, port);
  const replica: StreamingReplica = {
    ...base,
    pause: async () => void (await base.query('SELECT pg_wal_replay_pause()')),
    resume: async () => void (await base.query('SELECT pg_wal_replay_resume()')),
    async catchUp(timeoutMs = 20_000) {
      const [{ lsn }] = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ done }] = (await base.query<{ done: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn])) as [{ done: boolean }];
        if (done) return;
        if (Date.now() > deadline) throw new Error(`replica on port ${port} did not replay up to ${lsn} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return startedOrRemoved(replica);
}

/** A base backup without pg_basebackup: the exclusive-free low-level API, in one session. */
async function lowLevelBaseBackup(primary: ThrowawayCluster, dataDir: string, conninfo: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port: primary.port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query("SELECT pg_backup_start('fbs-replica', true)");
    const copy = asRoot ? ['runuser', ['-u', 'postgres', '--', 'cp', '-a', primary.dataDir, dataDir]] : ['cp', ['-a', primary.dataDir, dataDir]];
    await run(copy[0] as string, copy[1] as string[]);
    const { rows } = await client.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    await rm(join(dataDir, 'postmaster.pid'), { force: true });
    await run('find', [join(dataDir, 'pg_wal'), '-maxdepth', '1', '-type', 'f', '-delete']);
    await writeFile(join(dataDir, 'backup_label'), rows[0]!.labelfile);
    await writeFile(join(dataDir, 'standby.signal'), '');
    await appendFile(join(dataDir, 'postgresql.conf'), `\nprimary_conninfo = '${conninfo}'\n`);
    if (asRoot) await run('chown', ['-R', 'postgres', dataDir]);
  } finally {
    await client.end();
  }
}
