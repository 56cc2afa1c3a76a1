import { expect } from 'chai';
import { MigrationFailedError } from '@fbs/migrate';
import type { MigrationModule } from '@fbs/core';
import { createTable, defineApp, history, makeProject, tables } from './helpers';
import { adminQuery } from '../harness/postgres';

const failing = (message: string, extra: Partial<MigrationModule> = {}): MigrationModule => ({
  name: '0002_broken',
  async up({ queryInterface, sequelize }) {
    await queryInterface.createTable('app_half', { id: { type: 'INTEGER', primaryKey: true } as any });
    await sequelize.query('INSERT INTO app_half (id) VALUES (1)');
    throw new Error(message);
  },
  async down() {},
  ...extra,
});

describe('migrate: one transaction per migration and its history row', () => {
  it('a failing migration rolls back its DDL and its history row; the error names database, migration and cause', async () => {
    const app = defineApp({ label: 'app', migrations: [createTable('0001_ok', 'app_ok'), failing('boom: column missing'), createTable('0003_after', 'app_after')] });
    const t = await makeProject(['default'], [app], { routers: [] });
    try {
      const report = await t.migrator.up();
      expect(report.failed).to.equal(1);
      const run = report.databases[0]!;
      expect(run.outcome).to.equal('failed');
      expect(run.error).to.be.instanceOf(MigrationFailedError);
      expect(run.error!.message).to.match(/^Migration 'app\/0002_broken' \(up\) failed on database 'default' \(postgres:\/\/postgres@127\.0\.0\.1:5432\/fbs_mig_\d+_\d+\): boom: column missing\. Its changes and its history row were rolled back\.$/);
      expect(await tables(t.names.default!)).to.deep.equal(['app_ok', 'fbs_migrations']);
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_ok']);
    } finally {
      await t.close();
    }
  });

  it('the history row is inside the transaction: a failure after recording would leave neither', async () => {
    // The history insert fails (the row is too long for VARCHAR(255)) after the DDL ran: both roll back.
    const app = defineApp({ label: 'app', migrations: [createTable(`0001_${'x'.repeat(260)}`, 'app_long')] });
    const t = await makeProject(['default'], [app], { routers: [] });
    try {
      const report = await t.migrator.up();
      expect(report.failed).to.equal(1);
      expect(report.databases[0]!.error!.message).to.contain('value too long');
      expect(await tables(t.names.default!)).to.deep.equal(['fbs_migrations']);
      expect(await history(t.names.default!)).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });

  it('the migration context names the alias, the app, the migration and its transaction', async () => {
    let seen: { alias: string; appLabel: string; name: string; inTransaction: boolean } | undefined;
    const app = defineApp({
      label: 'app',
      migrations: [{ name: '0001_ctx', up: async (ctx) => { seen = { alias: ctx.alias, appLabel: ctx.appLabel, name: ctx.name, inTransaction: ctx.transaction !== undefined }; } }],
    });
    const t = await makeProject(['default'], [app], { routers: [] });
    try {
      await t.migrator.up();
      expect(seen).to.deep.equal({ alias: 'default', appLabel: 'app', name: 'app/0001_ctx', inTransaction: true });
    } finally {
      await t.close();
    }
  });

  it('transaction: false runs outside a transaction (CREATE INDEX CONCURRENTLY) and is recorded after it', async () => {
    const app = defineApp({
      label: 'app',
      migrations: [
        createTable('0001_t', 'app_t'),
        { name: '0002_index', transaction: false, up: async ({ sequelize, transaction }) => {
          expect(transaction).to.equal(undefined);
          await sequelize.query('CREATE INDEX CONCURRENTLY app_t_id ON app_t (id)');
        } },
        failing('after non-transactional', { name: '0003_fails', transaction: false }),
      ],
    });
    const t = await makeProject(['default'], [app], { routers: [] });
    try {
      const report = await t.migrator.up();
      expect(report.databases[0]!.error!.message).to.contain("Migration 'app/0003_fails'").and.contain('ran outside a transaction (transaction: false)');
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_t', 'app/0002_index']);
      // Without a transaction the half-done work stays, as the message warns.
      expect(await tables(t.names.default!)).to.include('app_half');
    } finally {
      await t.close();
    }
  });

  it('one failing database leaves the others as configured; without continueOnError no new database starts', async () => {
    const app = defineApp({ label: 'app', migrations: [createTable('0001_ok', 'app_ok'), { ...failing('only on b'), up: async (ctx) => (ctx.alias === 'b' ? failing('only on b').up(ctx) : undefined) }] });
    const t = await makeProject(['a', 'b', 'c', 'd'], [app], { routers: [] });
    try {
      const stopped = await t.migrator.up({ concurrency: 1 });
      expect(stopped.databases.map((d) => d.outcome)).to.deep.equal(['ok', 'failed', 'not-run', 'not-run']);
      expect(await history(t.names.a!)).to.deep.equal(['app/0001_ok', 'app/0002_broken']);
      expect(await history(t.names.b!)).to.deep.equal(['app/0001_ok']);
      expect(await tables(t.names.c!)).to.deep.equal([]);

      const all = await t.migrator.up({ concurrency: 1, continueOnError: true });
      expect(all.databases.map((d) => d.outcome)).to.deep.equal(['ok', 'failed', 'ok', 'ok']);
      expect(all.failed).to.equal(1);
      expect(await history(t.names.d!)).to.deep.equal(['app/0001_ok', 'app/0002_broken']);
    } finally {
      await t.close();
    }
  });

  it('a migration runs READ COMMITTED even where the database defaults to SERIALIZABLE (and says nothing extra where it is the default)', async () => {
    const seen: string[] = [];
    const probe: MigrationModule = {
      name: '0001_probe',
      async up({ sequelize, transaction }) {
        const [row] = (await sequelize.query("SELECT current_setting('transaction_isolation') AS level", { transaction, plain: false })) as any;
        seen.push(row[0].level);
      },
      async down() {},
    };
    const t = await makeProject(['default', 'other'], [defineApp({ label: 'app', migrations: [probe] })], { routers: [] });
    try {
      await adminQuery(`ALTER DATABASE "${t.names.other!}" SET default_transaction_isolation = 'serializable'`);
      const report = await t.migrator.up();
      expect(report.failed).to.equal(0);
      expect(seen).to.deep.equal(['read committed', 'read committed']);
    } finally {
      await t.close();
    }
  });
});
