import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { createProject, defineApp, type Project, type ProjectConfig } from '@fbs/core';
import { startReplicatedCluster, type ReplicatedCluster } from '../harness/replica';

@Table({ timestamps: false })
export class Note extends Model {
  @Column(DataType.STRING) declare ctx: string;
  @Column({ type: DataType.INTEGER, defaultValue: 0 }) declare n: number;
}

/** An app whose reads must stay on the primary. */
@Table({ timestamps: false })
export class Ledger extends Model {
  @Column(DataType.STRING) declare entry: string;
}

export const notesApp = defineApp({ label: 'notes', models: [Note] });
export const ledgerApp = defineApp({ label: 'ledger', models: [Ledger], replicaReads: false });

/** A primary with two streaming replicas and one database on it, tables created and replicated. */
export interface ReplicaSetup {
  readonly cluster: ReplicatedCluster;
  readonly database: string;
  /** The `databases` entry of `default`: primary URL, replicas with application_name fbs_r1 / fbs_r2. */
  config(extra?: Record<string, unknown>): ProjectConfig['databases'];
  project(extra?: Record<string, unknown>): Project;
  /** Rows on the primary, read over a direct connection. */
  primaryRows(sql: string, params?: unknown[]): Promise<any[]>;
  /** Waits until both replicas have replayed everything. */
  catchUp(): Promise<void>;
  /** Pauses replay on both replicas, runs `fn`, resumes and waits until they caught up. */
  paused(fn: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function setupReplicas(prefix: string): Promise<ReplicaSetup> {
  const cluster = await startReplicatedCluster(2);
  const database = `replicas_${prefix}_${process.pid}`;
  await cluster.primary.query(`CREATE DATABASE ${database}`);
  const projects: Project[] = [];
  const config = (extra: Record<string, unknown> = {}) => ({
    default: {
      url: `${cluster.primary.url(database)}?application_name=fbs_primary`,
      replicas: cluster.replicas.map((r, i) => `${r.url(database)}?application_name=fbs_r${i + 1}`),
      ...extra,
    },
  });
  const setup: ReplicaSetup = {
    cluster,
    database,
    config,
    project(extra) {
      const project = createProject({ databases: config(extra), apps: [notesApp, ledgerApp] });
      projects.push(project);
      return project;
    },
    primaryRows: (sql, params) => cluster.primary.query(sql, params, database),
    catchUp: async () => void (await Promise.all(cluster.replicas.map((r) => r.catchUp()))),
    async paused(fn) {
      await Promise.all(cluster.replicas.map((r) => r.pause()));
      try {
        await fn();
      } finally {
        await Promise.all(cluster.replicas.map((r) => r.resume()));
        await setup.catchUp();
      }
    },
    async stop() {
      for (const p of projects) await p.close().catch(() => undefined);
      await cluster.stop();
    },
  };
  const bootstrap = createProject({ databases: { default: cluster.primary.url(database) }, apps: [notesApp, ledgerApp] });
  await bootstrap.sync();
  await bootstrap.close();
  await setup.catchUp();
  return setup;
}


/** Waits until `project.replicaStatus()` satisfies `ok` (status is re-checked every 50 ms). */
export async function waitForStatus(project: Project, ok: (status: Awaited<ReturnType<Project['replicaStatus']>>) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await project.replicaStatus();
    if (ok(status)) return;
    if (Date.now() > deadline) throw new Error(`replica status did not settle: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
