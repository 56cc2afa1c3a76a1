/**
 * Several servers: provision and migrate-all BENCH_SOLUTIONS (200) solutions over 3 throwaway
 * clusters against the same on 1 (ratio; on one machine the clusters share its cores, so the
 * per-server concurrency is printed too), then move one solution of 10,000 rows per table to
 * another server under a concurrent write load (its own and another solution's): total time, the
 * write-unavailability window seen by its writers (longest gap between two acknowledged writes,
 * target ≤ 2 s) and rows lost (acknowledged writes missing on the target, target 0).
 */
import 'reflect-metadata';
import pLimit from 'p-limit';
import { DataTypes } from 'sequelize';
import { Migrator } from '@fbs/migrate';
import { SolutionManager } from '@fbs/solutions';
import { startCluster, stopAllClusters, type ThrowawayCluster } from '../test/harness/cluster';
import { Partner, Preference, solutionProject } from '../test/solutions/fixtures/apps';
import { startWriteLoad } from '../test/servers/fixtures/write-load';
import { result, runBench } from './_stats';

const SOLUTIONS = Number(process.env.BENCH_SOLUTIONS ?? 200);
const PER_SERVER = Number(process.env.BENCH_PER_SERVER ?? 4);
const ROWS = 10_000;
const TEMPLATES = { name: `template_b${process.pid}` };

const note = [{ name: '0002_note', up: ({ queryInterface, transaction }: any) => queryInterface.addColumn('prefs_preference', 'note', DataTypes.STRING, { transaction }) }];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Provisions SOLUTIONS solutions round-robin over `servers` (PER_SERVER at once on each), then migrates them all; returns both times (ms). */
async function provisionAndMigrate(systemUrl: string, servers: Record<string, string>, tag: string): Promise<{ provision: number; migrate: number }> {
  const names = Object.keys(servers);
  const manager = new SolutionManager(solutionProject(systemUrl), { servers, templates: TEMPLATES, pool: { maxConnections: 4 * PER_SERVER } });
  const limits = Object.fromEntries(names.map((n) => [n, pLimit(PER_SERVER)]));
  // Templates are built once per server before the clock starts (as in a warm deployment).
  for (const server of names) await manager.create(`${tag}warm${server}`, { server });
  const provision = await timed(() =>
    Promise.all(Array.from({ length: SOLUTIONS }, (_, i) => names[i % names.length]!).map((server, i) => limits[server]!(() => manager.create(`${tag}${i}`, { server })))),
  );
  await manager.close();
  await manager.project.close();
  const project = solutionProject(systemUrl, { prefs: note });
  const upgraded = new SolutionManager(project, { servers, templates: TEMPLATES, pool: { maxConnections: 4 * PER_SERVER }, migrator: new Migrator(project) });
  let failed = 0;
  const migrate = await timed(async () => {
    failed = (await upgraded.migrateAll({ concurrency: PER_SERVER })).failed;
  });
  if (failed) throw new Error(`${failed} solutions failed to migrate`);
  await upgraded.close();
  await upgraded.project.close();
  return { provision, migrate };
}

async function moveUnderLoad(clusters: ThrowawayCluster[], systemUrl: string, servers: Record<string, string>): Promise<void> {
  const manager = new SolutionManager(solutionProject(systemUrl, { prefs: note }), { servers, templates: TEMPLATES });
  await manager.create('big', { server: 'pg1' });
  await manager.create('busy', { server: 'pg1' });
  await manager.withSolution('big', async () => {
    await manager.project.model(Preference).bulkCreate(Array.from({ length: ROWS }, (_, i) => ({ key: `seed-${i}`, value: 'x'.repeat(40) })));
    await manager.project.model(Partner).bulkCreate(Array.from({ length: ROWS }, (_, i) => ({ name: `partner-${i}` })));
  });
  const loads = [startWriteLoad(manager, 'big', 'a', 3), startWriteLoad(manager, 'busy', 'b', 2)];
  await new Promise((r) => setTimeout(r, 2_000));
  const report = await manager.move('big', { to: 'pg2' });
  await new Promise((r) => setTimeout(r, 2_000));
  for (const load of loads) await load.stop();
  const errors = loads.flatMap((l) => l.errors);
  if (errors.length) throw errors[0];
  const target = await clusters[1]!.query<{ key: string }>('SELECT key FROM prefs_preference', [], 'djo_big_db');
  const present = new Set(target.map((r) => r.key));
  const lost = loads[0]!.acked.filter((k) => !present.has(k)).length;
  const window = loads[0]!.longestGapMs / 1000;
  process.stdout.write(
    `move: ${report.tables} tables and sequences, ${report.rows} rows verified; total ${(report.totalMs / 1000).toFixed(2)} s, ` +
      `writes frozen (move's view) ${(report.frozenMs / 1000).toFixed(2)} s, longest gap between acknowledged writes ${window.toFixed(2)} s; ` +
      `${loads[0]!.acked.length} writes of the moved solution (${loads[0]!.retries} retried), ${loads[1]!.acked.length} of the other, ${lost} lost\n`,
  );
  result('servers', 'move_window_s', window, '<=2', window <= 2, 2);
  result('servers', 'rows_lost', lost, '0', lost === 0, 0);
  await manager.close();
  await manager.project.close();
}

async function main(): Promise<void> {
  const clusters = await Promise.all([0, 1, 2].map(() => startCluster({ settings: { max_connections: 150 } })));
  try {
    for (const c of clusters) await c.query('CREATE DATABASE bench_system');
    const urls = Object.fromEntries(clusters.map((c, i) => [`pg${i + 1}`, c.url()]));
    const one = await provisionAndMigrate(clusters[0]!.url('bench_system'), { pg1: urls.pg1! }, 'o');
    // A fresh system database for the three-server run (its own catalogue).
    await clusters[1]!.query('CREATE DATABASE bench_system3');
    const three = await provisionAndMigrate(clusters[1]!.url('bench_system3'), urls, 't');
    process.stdout.write(
      `servers: ${SOLUTIONS} solutions (2 databases each), ${PER_SERVER} at once per server; 1 server: provision ${(one.provision / 1000).toFixed(1)} s, migrate-all ${(one.migrate / 1000).toFixed(1)} s; ` +
        `3 servers (${3 * PER_SERVER} at once in all): provision ${(three.provision / 1000).toFixed(1)} s, migrate-all ${(three.migrate / 1000).toFixed(1)} s\n`,
    );
    result('servers', 'provision_ratio', one.provision / three.provision, '>=1', one.provision / three.provision >= 1, 2);
    result('servers', 'migrate_ratio', one.migrate / three.migrate, '>=1', one.migrate / three.migrate >= 1, 2);
    await clusters[2]!.query('CREATE DATABASE bench_move');
    await moveUnderLoad(clusters, clusters[2]!.url('bench_move'), { pg1: urls.pg1!, pg2: urls.pg2! });
  } finally {
    await stopAllClusters();
  }
}

runBench(main);
