/**
 * Migrating many databases: 100 databases × 20 migrations with the Migrator at its default
 * concurrency, against a sequential loop of plain umzug (SequelizeStorage) over 100 other
 * databases with the same migrations — interleaved rounds in one run, the two database sets
 * swapped each round and reset (untimed) between rounds. Target: ≥ 1.7× faster.
 */
import 'reflect-metadata';
import { createProject, defineApp, type MigrationContext, type MigrationModule } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { Sequelize } from 'sequelize';
// umzug is a dependency of @fbs/migrate only; the baseline uses that copy.
import { SequelizeStorage, Umzug } from 'umzug';
import pLimit from 'p-limit';
import { adminQuery, queryDatabase, shutdown, testServer, uniqueDatabaseName } from '../test/harness/postgres';
import { median, result, runBench } from './_stats';

const DATABASES = Number(process.env.BENCH_DATABASES ?? 100);
const MIGRATIONS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** 20 realistic small migrations: tables, columns, indexes. */
function migrations(): MigrationModule[] {
  return Array.from({ length: MIGRATIONS }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const table = `bench_t${Math.floor(i / 2)}`;
    const up =
      i % 2 === 0
        ? async ({ queryInterface }: MigrationContext) => {
            await queryInterface.createTable(table, {
              id: { type: 'SERIAL', primaryKey: true },
              name: { type: 'VARCHAR(255)', allowNull: false },
              amount: { type: 'INTEGER', defaultValue: 0 },
              created_at: { type: 'TIMESTAMPTZ' },
            } as any);
          }
        : async ({ queryInterface }: MigrationContext) => {
            await queryInterface.addColumn(table, 'note', { type: 'TEXT' } as any);
            await queryInterface.addIndex(table, ['name']);
          };
    return { name: `${n}_step`, up, down: async () => undefined };
  });
}

async function resetAll(names: readonly string[]): Promise<void> {
  const limit = pLimit(8);
  await Promise.all(names.map((db) => limit(() => queryDatabase(db, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'))));
}

async function ours(urls: Record<string, string>, modules: MigrationModule[]): Promise<number> {
  const project = createProject({ databases: urls, apps: [defineApp({ label: 'bench', migrations: modules })] });
  const migrator = new Migrator(project);
  const start = performance.now();
  const report = await migrator.up({ databases: Object.keys(urls) });
  const took = performance.now() - start;
  await project.close();
  if (report.failed) throw report.databases.find((d) => d.error)!.error;
  if (report.databases.some((d) => d.applied.length !== MIGRATIONS)) throw new Error('ours: not every migration applied');
  return took;
}

async function plainUmzug(urls: Record<string, string>, modules: MigrationModule[]): Promise<number> {
  const start = performance.now();
  for (const url of Object.values(urls)) {
    const sequelize = new Sequelize(url, { logging: false });
    const umzug = new Umzug({
      migrations: modules.map((m) => ({ name: `bench/${m.name}`, up: ({ context }: { context: any }) => m.up(context) as Promise<unknown> })),
      context: { queryInterface: sequelize.getQueryInterface(), sequelize },
      storage: new SequelizeStorage({ sequelize }),
      logger: undefined,
    });
    const done = await umzug.up();
    if (done.length !== MIGRATIONS) throw new Error('umzug: not every migration applied');
    await sequelize.close();
  }
  return performance.now() - start;
}

async function main(): Promise<void> {
  const server = await testServer();
  const names = Array.from({ length: DATABASES * 2 }, () => uniqueDatabaseName('bench_mig'));
  const limit = pLimit(4);
  await Promise.all(names.map((n) => limit(() => adminQuery(`CREATE DATABASE "${n}"`))));
  const sets = [names.slice(0, DATABASES), names.slice(DATABASES)].map((set) => Object.fromEntries(set.map((n, i) => [`djo_s${i}_db`, server.url(n)])));
  const modules = migrations();
  const ratios: number[] = [];
  const oursMs: number[] = [];
  const umzugMs: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await resetAll(names);
      const [a, b] = round % 2 === 0 ? [sets[0]!, sets[1]!] : [sets[1]!, sets[0]!];
      let o: number;
      let u: number;
      if (round % 2 === 0) {
        o = await ours(a, modules);
        u = await plainUmzug(b, modules);
      } else {
        u = await plainUmzug(b, modules);
        o = await ours(a, modules);
      }
      oursMs.push(o);
      umzugMs.push(u);
      ratios.push(u / o);
      process.stdout.write(`round ${round + 1}: migrator ${o.toFixed(0)} ms, sequential umzug ${u.toFixed(0)} ms, ${(u / o).toFixed(2)}× faster\n`);
    }
  } finally {
    await shutdown();
  }
  process.stdout.write(`${DATABASES} databases × ${MIGRATIONS} migrations: migrator median ${median(oursMs).toFixed(0)} ms, sequential umzug median ${median(umzugMs).toFixed(0)} ms\n`);
  const speedup = median(ratios);
  result('migrate', 'speedup', speedup, '>=1.7', speedup >= 1.7, 2);
}

runBench(main);
