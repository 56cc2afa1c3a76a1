/**
 * `status` over 1,000 up-to-date databases (20 migrations each, cloned from a migrated template;
 * the cloning is untimed). Target: ≤ 5 s (django-tenants users report 12 minutes for 900 tenants).
 * Median of several rounds, each with a fresh Migrator over a fresh project (cold pools).
 */
import 'reflect-metadata';
import { createProject, defineApp, type MigrationContext, type MigrationModule } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import pLimit from 'p-limit';
import { adminQuery, shutdown, testServer, uniqueDatabaseName } from '../test/harness/postgres';
import { median, result, runBench } from './_stats';

const DATABASES = Number(process.env.BENCH_DATABASES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const modules: MigrationModule[] = Array.from({ length: 20 }, (_, i) => ({
  name: `${String(i + 1).padStart(4, '0')}_table`,
  up: async ({ sequelize }: MigrationContext) => {
    await sequelize.query(`CREATE TABLE bench_status_${i} (id SERIAL PRIMARY KEY, name TEXT)`);
  },
}));
const app = defineApp({ label: 'bench', migrations: modules });

async function main(): Promise<void> {
  const server = await testServer();
  const template = uniqueDatabaseName('bench_st_tpl');
  await adminQuery(`CREATE DATABASE "${template}"`);
  const seed = createProject({ databases: { template: server.url(template) }, apps: [app] });
  const seeded = await new Migrator(seed).up({ databases: ['template'] });
  await seed.close();
  if (seeded.failed) throw seeded.databases[0]!.error;

  const names = Array.from({ length: DATABASES }, () => uniqueDatabaseName('bench_st'));
  const limit = pLimit(4);
  const cloneStart = performance.now();
  await Promise.all(names.map((n) => limit(() => adminQuery(`CREATE DATABASE "${n}" TEMPLATE "${template}"`))));
  process.stdout.write(`cloned ${DATABASES} migrated databases in ${((performance.now() - cloneStart) / 1000).toFixed(1)} s (untimed)\n`);
  const databases = Object.fromEntries(names.map((n, i) => [`djo_s${i}_db`, server.url(n)]));

  const seconds: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const project = createProject({ databases, apps: [app] });
      const migrator = new Migrator(project);
      const start = performance.now();
      const statuses = await migrator.status();
      const took = (performance.now() - start) / 1000;
      await project.close();
      const upToDate = statuses.filter((s) => !s.error && s.migrations.length === 20 && s.migrations.every((m) => m.state === 'applied' && !m.checksumMismatch));
      if (upToDate.length !== DATABASES) throw new Error(`expected ${DATABASES} up-to-date databases, got ${upToDate.length}: ${statuses.find((s) => s.error)?.error?.message ?? ''}`);
      seconds.push(took);
      process.stdout.write(`round ${round + 1}: status of ${DATABASES} databases in ${took.toFixed(2)} s\n`);
    }
  } finally {
    await shutdown();
  }
  const s = median(seconds);
  result('status', 'seconds', s, '<=5', s <= 5, 2);
}

runBench(main);
