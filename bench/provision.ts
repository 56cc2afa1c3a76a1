/**
 * Provisioning a solution: both databases (djo_, fbs_) at head with 20 migrations each, cloned
 * from migrated template databases (`CREATE DATABASE … TEMPLATE`) against creating empty databases
 * and migrating them — interleaved rounds in one run, median of each. The one-time template build
 * is done before the rounds and reported apart. Target: templates ≥ 3× faster.
 */
import 'reflect-metadata';
import { createProject, defineApp, type MigrationContext, type MigrationModule, type Project } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { createDatabases, shutdown, testServer } from '../test/harness/postgres';
import { median, result, runBench } from './_stats';

const MIGRATIONS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);

/** 20 small migrations of one app: tables, columns, indexes. */
function migrations(app: string): MigrationModule[] {
  return Array.from({ length: MIGRATIONS }, (_, i) => {
    const table = `${app}_t${Math.floor(i / 2)}`;
    const up =
      i % 2 === 0
        ? async ({ queryInterface, transaction }: MigrationContext) => {
            await queryInterface.createTable(
              table,
              { id: { type: 'SERIAL', primaryKey: true }, name: { type: 'VARCHAR(255)', allowNull: false }, amount: { type: 'INTEGER', defaultValue: 0 } } as any,
              { transaction },
            );
          }
        : async ({ queryInterface, transaction }: MigrationContext) => {
            await queryInterface.addColumn(table, 'note', { type: 'TEXT' } as any, { transaction });
            await queryInterface.addIndex(table, ['name'], { transaction });
          };
    return { name: `${String(i + 1).padStart(4, '0')}_step`, up };
  });
}

function project(systemUrl: string): Project {
  return createProject({
    databases: { default: systemUrl },
    routers: [new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })],
    apps: [defineApp({ label: 'prefs', migrations: migrations('prefs') }), defineApp({ label: 'erp', migrations: migrations('erp') })],
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const server = await testServer();
  const [system] = await createDatabases(1, 'benchprov');
  const cloning = new SolutionManager(project(server.url(system!)), { templates: { name: `template_b${process.pid}` } });
  const migrating = new SolutionManager(project(server.url(system!)), { templates: false });
  const names: Array<[SolutionManager, string]> = [];
  try {
    const build = await timed(() => cloning.create(`warm${process.pid}`));
    names.push([cloning, `warm${process.pid}`]);
    const fromTemplate: number[] = [];
    const fromEmpty: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Array<[SolutionManager, number[]]> = round % 2 ? [[migrating, fromEmpty], [cloning, fromTemplate]] : [[cloning, fromTemplate], [migrating, fromEmpty]];
      for (const [manager, times] of order) {
        const name = `p${process.pid}r${round}${manager === cloning ? 't' : 'e'}`;
        names.push([manager, name]);
        times.push(await timed(() => manager.create(name)));
      }
    }
    const t = median(fromTemplate);
    const e = median(fromEmpty);
    process.stdout.write(
      `provision: ${MIGRATIONS} migrations per database, 2 databases; template build (once) ${build.toFixed(0)} ms; ` +
        `from templates ${t.toFixed(0)} ms, migrating empty databases ${e.toFixed(0)} ms (median of ${ROUNDS})\n`,
    );
    result('provision', 'speedup', e / t, '>=3x', e / t >= 3, 2);
  } finally {
    for (const [manager, name] of names) await manager.drop(name, { confirm: name }).catch(() => undefined);
    await cloning.dropTemplates();
    for (const manager of [cloning, migrating]) {
      await manager.close();
      await manager.project.close();
    }
    await shutdown();
  }
}

runBench(main);
