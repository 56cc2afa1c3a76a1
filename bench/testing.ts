/**
 * @fbs/testing: the set-up time of 50 test suites (each: its test databases for two aliases, one
 * test's isolation, teardown) with templates — the default: the first suite clones the migrated
 * templates, and a clean suite hands its clones to the next — against migrating each suite's
 * databases from empty (`templates: false`), 30 migrations per alias. A third series clones afresh
 * for every suite (each marks its databases dirty), reported beside. The series alternate, so all
 * see the same load; the template build (once per run) is counted. Target: templates ≥ 5× faster.
 */
import 'reflect-metadata';
import { createProject, defineApp, type MigrationContext, type MigrationModule } from '@fbs/core';
import { dropTestTemplates, setupTestDatabases, type TestDatabasesConfig } from '@fbs/testing';
import { adminQuery, shutdown, testServer } from '../test/harness/postgres';
import { result, runBench } from './_stats';

const SUITES = Number(process.env.BENCH_SUITES ?? 50);
const MIGRATIONS = 30;

/** A small app's migrations: tables, then columns and indexes on them. */
function migrations(app: string): MigrationModule[] {
  return Array.from({ length: MIGRATIONS }, (_, i) => {
    const table = `${app}_t${Math.floor(i / 2)}`;
    const up =
      i % 2 === 0
        ? ({ queryInterface, transaction }: MigrationContext) =>
            queryInterface.createTable(table, { id: { type: 'SERIAL', primaryKey: true }, name: { type: 'VARCHAR(255)', allowNull: false }, amount: { type: 'INTEGER', defaultValue: 0 } } as any, { transaction })
        : async ({ queryInterface, transaction }: MigrationContext) => {
            await queryInterface.addColumn(table, 'note', { type: 'TEXT' } as any, { transaction });
            await queryInterface.addIndex(table, ['name'], { transaction });
          };
    return { name: `${String(i + 1).padStart(4, '0')}_step`, up };
  });
}

const apps = [defineApp({ label: 'shop', migrations: migrations('shop') }), defineApp({ label: 'licenses', migrations: migrations('licenses') })];

function config(prefix: string, templates: boolean): TestDatabasesConfig {
  return {
    databases: { default: 'postgres://127.0.0.1/bench_app_db', licensing: 'postgres://127.0.0.1/bench_lic_db' },
    prefix,
    templates,
    project: (databases) =>
      createProject({
        databases,
        apps,
        routers: [{ allowMigrate: (db, app) => (app === 'licenses' ? db === 'licensing' : db === 'default') }],
      }),
  };
}

async function suite(settings: TestDatabasesConfig, dirty = false): Promise<number> {
  const started = process.hrtime.bigint();
  const db = await setupTestDatabases(settings);
  const test = await db.isolate({ title: 'one test', databases: ['default', 'licensing'] });
  await db.project.connection('default').query('SELECT count(*) FROM shop_t0');
  await test.end();
  if (dirty) db.markDirty();
  await db.teardown();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const server = await testServer();
  const auth = encodeURIComponent(server.user) + (server.password ? `:${encodeURIComponent(server.password)}` : '');
  process.env.FBS_TEST_DATABASE_URL = `postgres://${auth}@${server.host}:${server.port}/postgres`;
  const cloning = config(`bt${process.pid}_`, true);
  const fresh = config(`bf${process.pid}_`, true);
  const migrating = config(`bm${process.pid}_`, false);
  let fromTemplates = 0;
  let freshClones = 0;
  let fromEmpty = 0;
  try {
    const series: Array<() => Promise<void>> = [
      async () => void (fromTemplates += await suite(cloning)), // the first one also builds the templates
      async () => void (freshClones += await suite(fresh, true)),
      async () => void (fromEmpty += await suite(migrating)),
    ];
    for (let i = 0; i < SUITES; i++) for (let k = 0; k < series.length; k++) await series[(i + k) % series.length]!();
    const each = (total: number) => `${total.toFixed(0)} ms (${(total / SUITES).toFixed(0)} ms a suite)`;
    process.stdout.write(
      `testing: ${SUITES} suites, 2 aliases × ${MIGRATIONS} migrations, template builds included; templates (default: clean clones reused) ${each(fromTemplates)}, ` +
        `a fresh clone for every suite ${each(freshClones)} (${(fromEmpty / freshClones).toFixed(2)}× faster than migrating), migrating each suite ${each(fromEmpty)}\n`,
    );
    result('testing', 'setup_speedup', fromEmpty / fromTemplates, '5', fromEmpty / fromTemplates >= 5, 2);
  } finally {
    await dropTestTemplates(cloning);
    await dropTestTemplates(fresh);
    for (const prefix of [cloning.prefix!, fresh.prefix!, migrating.prefix!]) {
      for (const { datname } of await adminQuery<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix])) {
        await adminQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await shutdown();
  }
}

runBench(main);
