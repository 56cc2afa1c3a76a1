/**
 * Many solutions: SCALE_SOLUTIONS (1,000) registered solutions (both databases each, cloned from
 * templates) touched round-robin by 50 concurrent workers through a fresh manager, as a new
 * process would: every touch is one routed query under `withSolution`. Reports the most physical
 * connections ever open to solution databases (seen by the cap and sampled on the server) against
 * the cap, the heap per idle registered solution after their pools are evicted, and the p99
 * latency of the first query to a cold solution (its pool closed): alone, and under the load
 * (where it mostly measures the queue of 50 workers behind the cap; budget 25 ms per worker).
 */
import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import pLimit from '../packages/solutions/node_modules/p-limit';
import { createProject, defineApp, type Project } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { Preference, prefsMigrations, erpMigrations } from '../test/solutions/fixtures/apps';
import { createDatabases, shutdown, testServer } from '../test/harness/postgres';
import { median, percentile, result, runBench } from './_stats';

const SOLUTIONS = Number(process.env.SCALE_SOLUTIONS ?? 1000);
const TOUCHES = Number(process.env.SCALE_TOUCHES ?? SOLUTIONS * 3);
const WORKERS = 50;
const CAP = 20;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function project(systemUrl: string): Project {
  return createProject({
    databases: { default: systemUrl },
    routers: [new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })],
    apps: [defineApp({ label: 'prefs', models: [Preference], migrations: prefsMigrations }), defineApp({ label: 'erp', migrations: erpMigrations })],
  });
}

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const server = await testServer();
  const [system] = await createDatabases(1, 'benchscale');
  const template = { name: `template_s${process.pid}` };
  const creator = new SolutionManager(project(server.url(system!)), { templates: template });
  const names = Array.from({ length: SOLUTIONS }, (_, i) => `s${process.pid}_${i}`);
  const sampler = new Client({ connectionString: server.url('postgres') });
  let app: SolutionManager | undefined;
  try {
    const started = Date.now();
    const limit = pLimit(3);
    await Promise.all(names.map((name) => limit(() => creator.create(name))));
    process.stdout.write(`scale: created ${SOLUTIONS} solutions (${SOLUTIONS * 2} databases) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    await creator.close();
    await creator.project.close();

    // A fresh process's view: nothing registered yet.
    app = new SolutionManager(project(server.url(system!)), { templates: template, pool: { maxConnections: CAP, idleMs: 2_000 } });
    await app.info(names[0]!); // warms the catalogue and the version probe; registers no solution
    const before = heap();
    const registered = await app.list();
    if (registered.length < SOLUTIONS) throw new Error(`expected ${SOLUTIONS} solutions, catalogue has ${registered.length}`);

    await sampler.connect();
    let serverMax = 0;
    let sampling = true;
    const sampling$ = (async () => {
      while (sampling) {
        const { rows } = await sampler.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1", [`djo\\_s${process.pid}\\_%`]);
        serverMax = Math.max(serverMax, rows[0].n);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const cold: number[] = [];
    const warm: number[] = [];
    let next = 0;
    const { project: p } = app;
    const worker = async () => {
      while (next < TOUCHES) {
        const name = names[next++ % names.length]!;
        const wasOpen = p.connections.isOpen(`djo_${name}_db`);
        const t0 = process.hrtime.bigint();
        await app!.withSolution(name, () => p.model(Preference).count());
        (wasOpen ? warm : cold).push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const seconds = (Date.now() - t0) / 1000;
    sampling = false;
    await sampling$;

    // Let every pool go idle and be evicted, then weigh what stays per registered solution.
    await new Promise((r) => setTimeout(r, 2_500));
    app.cap.sweep();
    await new Promise((r) => setTimeout(r, 500));
    const after = heap();
    const perSolution = (after - before) / SOLUTIONS / 1024;
    const stats = app.poolStats();

    // The first query to a cold solution on its own (no queue behind the cap): every pool is closed now.
    const probe: number[] = [];
    for (const name of names.slice(0, Math.min(200, SOLUTIONS))) {
      const t = process.hrtime.bigint();
      await app.withSolution(name, () => p.model(Preference).count());
      probe.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    process.stdout.write(
      `scale: ${TOUCHES} touches by ${WORKERS} workers in ${seconds.toFixed(1)} s; cap ${CAP}: max open ${stats.maxSeen} (cap's count), ${serverMax} (server); ` +
        `${stats.evictions} evictions; open now ${stats.open}; cold first query p50 ${median(cold).toFixed(1)} ms p99 ${percentile(cold, 99).toFixed(1)} ms ` +
        `under load (${cold.length} cold, ${warm.length} warm touches); heap per idle registered solution ${perSolution.toFixed(1)} KB; ` +
        `first query to a cold solution alone: p50 ${median(probe).toFixed(1)} ms p99 ${percentile(probe, 99).toFixed(1)} ms\n`,
    );
    const maxOpen = Math.max(app.poolStats().maxSeen, serverMax);
    result('scale', 'max_open_connections', maxOpen, `<=${CAP}`, maxOpen <= CAP, 0);
    result('scale', 'kb_per_idle_solution', perSolution, '<=50', perSolution <= 50, 1);
    result('scale', 'cold_first_query_p99_ms', percentile(probe, 99), '<=100', percentile(probe, 99) <= 100, 1);
    result('scale', 'cold_first_query_under_load_p99_ms', percentile(cold, 99), `<=${WORKERS * 25}`, percentile(cold, 99) <= WORKERS * 25, 1);
  } finally {
    await sampler.end().catch(() => undefined);
    if (app) {
      await app.close();
      await app.project.close();
    }
    const cleaner = new SolutionManager(project(server.url(system!)), { templates: template });
    const limit = pLimit(2);
    await Promise.all((await cleaner.records()).map((r) => limit(() => cleaner.drop(r.name, { confirm: r.name }))));
    await cleaner.dropTemplates();
    await cleaner.close();
    await cleaner.project.close();
    await shutdown();
  }
}

runBench(main);
