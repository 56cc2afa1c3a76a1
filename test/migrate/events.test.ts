import { expect } from 'chai';
import { DatabaseUnavailableError } from '@fbs/core';
import { MigrationLockedError } from '@fbs/migrate';
import { createTable, defineApp, history, makeProject, tables } from './helpers';

describe('migrate: events, bounded concurrency, unavailable databases', () => {
  it('reports progress through events, in order, per database', async () => {
    const app = defineApp({ label: 'app', migrations: [createTable('0001_a', 'app_a'), createTable('0002_b', 'app_b')] });
    const t = await makeProject(['default'], [app], { routers: [] });
    const seen: string[] = [];
    t.migrator.on('database:start', (e) => seen.push(`start ${e.alias} ${e.direction} [${e.pending.join(',')}]`));
    t.migrator.on('migration:start', (e) => seen.push(`migrating ${e.name}`));
    t.migrator.on('migration:done', (e) => seen.push(`done ${e.name} ${typeof e.durationMs}`));
    t.migrator.on('database:done', (e) => seen.push(`finished ${e.alias} [${e.applied.join(',')}] [${e.reverted.join(',')}]`));
    try {
      await t.migrator.up({ step: 1 });
      await t.migrator.up();
      await t.migrator.down();
      expect(seen).to.deep.equal([
        'start default up [app/0001_a,app/0002_b]', 'migrating app/0001_a', 'done app/0001_a number', 'finished default [app/0001_a] []',
        'start default up [app/0002_b]', 'migrating app/0002_b', 'done app/0002_b number', 'finished default [app/0002_b] []',
        'start default down [app/0002_b,app/0001_a]', 'migrating app/0002_b', 'done app/0002_b number', 'finished default [] [app/0002_b]',
      ]);
    } finally {
      await t.close();
    }
  });

  it('runs at most `concurrency` databases at once', async () => {
    let running = 0;
    let peak = 0;
    const app = defineApp({
      label: 'app',
      migrations: [{ name: '0001_slow', up: async ({ sequelize }) => {
        peak = Math.max(peak, ++running);
        await sequelize.query('SELECT pg_sleep(0.1)');
        running--;
      }, down: async () => undefined }],
    });
    const t = await makeProject(['a', 'b', 'c', 'd', 'e'], [app], { routers: [], migrator: { concurrency: 2 } });
    try {
      const report = await t.migrator.up();
      expect(report.databases.map((d) => d.applied)).to.deep.equal(Array(5).fill(['app/0001_slow']));
      expect(peak).to.equal(2);
      peak = 0;
      expect((await t.migrator.down({ to: 0 })).failed).to.equal(0);
      await t.migrator.up({ concurrency: 5 });
      expect(peak).to.equal(5);
      expect(t.project.connections.openAliases()).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });

  it('a database that is down fails fast naming its alias (never the password); the others are migrated', async () => {
    const app = defineApp({ label: 'app', migrations: [createTable('0001_a', 'app_a')] });
    const t = await makeProject(['default', 'other'], [app], { routers: [] });
    t.project.addDatabase('down', 'postgres://postgres:hunter2@127.0.0.1:1/nowhere');
    try {
      const started = Date.now();
      const report = await t.migrator.up({ databases: ['default', 'down', 'other'], continueOnError: true });
      expect(Date.now() - started).to.be.below(5000);
      expect(report.databases.map((d) => d.outcome)).to.deep.equal(['ok', 'failed', 'ok']);
      const error = report.databases[1]!.error!;
      expect(error).to.be.instanceOf(DatabaseUnavailableError);
      expect(error.message).to.contain("Database 'down' (postgres://postgres@127.0.0.1:1/nowhere) is unavailable").and.not.contain('hunter2');
      expect(await history(t.names.other!)).to.deep.equal(['app/0001_a']);
    } finally {
      await t.close();
    }
  });

  it('wait: false refuses a locked database with MigrationLockedError and changes nothing there', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const app = defineApp({ label: 'app', migrations: [{ name: '0001_gate', up: async () => { entered(); await gate; } }, createTable('0002_b', 'app_b')] });
    const t = await makeProject(['default'], [app], { routers: [] });
    const second = await makeProject([], [app], { routers: [] });
    second.project.addDatabase('default', t.project.connections.config('default'));
    try {
      const first = t.migrator.up();
      await inside;
      const refused = await second.migrator.up({ wait: false });
      expect(refused.databases[0]!.error).to.be.instanceOf(MigrationLockedError);
      expect(refused.databases[0]!.error!.message).to.match(/^Database 'default' \(.+\) is being migrated by another process \(server pid \d+/);
      release();
      expect((await first).databases[0]!.applied).to.deep.equal(['app/0001_gate', 'app/0002_b']);
      expect(await history(t.names.default!)).to.deep.equal(['app/0001_gate', 'app/0002_b']);
      // down on a database without a history table does nothing and creates nothing
      const fresh = await makeProject(['default'], [app], { routers: [] });
      expect((await fresh.migrator.down()).databases[0]!.reverted).to.deep.equal([]);
      expect(await tables(fresh.names.default!)).to.deep.equal([]);
      await fresh.close();
    } finally {
      release();
      await t.close();
      await second.close();
    }
  });
});
