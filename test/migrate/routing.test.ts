import { expect } from 'chai';
import { defineApp, history, makeProject, tables, createTable, type TestProject } from './helpers';

const licenseApp = defineApp({ label: 'fbs_license_manager', migrations: [createTable('0001_initial', 'lic_solution_license'), createTable('0002_usage', 'lic_feature_usage')] });
const coreApp = defineApp({ label: 'fbs_app', migrations: [createTable('0001_initial', 'fbs_odoo_database')] });
const solutionApp = defineApp({ label: 'solution_app', migrations: [createTable('0001_initial', 'sol_customer')] });

describe('migrate: router filtering per database', () => {
  let t: TestProject;
  beforeEach(async () => {
    t = await makeProject(['default', 'licensing', 'djo_acme_db', 'reports'], [coreApp, licenseApp, solutionApp], {
      routers: [
        { allowMigrate: (db) => (db === 'reports' ? false : null) },
        { allowMigrate: (db, app) => (app === 'fbs_license_manager' ? db === 'licensing' : app === 'fbs_app' ? db === 'default' : app === 'solution_app' ? db.startsWith('djo_') : null) },
      ],
    });
  });
  afterEach(() => t.close());

  it('runs each app only where allowMigrate allows, and records only what ran', async () => {
    const report = await t.migrator.up();
    expect(report.failed).to.equal(0);
    expect(report.databases.map((d) => [d.alias, d.applied])).to.deep.equal([
      ['default', ['fbs_app/0001_initial']],
      ['licensing', ['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_usage']],
      ['djo_acme_db', ['solution_app/0001_initial']],
      ['reports', []],
    ]);
    expect(await tables(t.names.licensing!)).to.deep.equal(['fbs_migrations', 'lic_feature_usage', 'lic_solution_license']);
    expect(await tables(t.names.default!)).to.deep.equal(['fbs_migrations', 'fbs_odoo_database']);
    expect(await tables(t.names.djo_acme_db!)).to.deep.equal(['fbs_migrations', 'sol_customer']);
    // Skipped migrations are not recorded (Django would record them as applied).
    expect(await history(t.names.default!)).to.deep.equal(['fbs_app/0001_initial']);
    expect(await history(t.names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_usage']);
  });

  it('creates no history table on a database no app may migrate to', async () => {
    await t.migrator.up();
    expect(await tables(t.names.reports!)).to.deep.equal([]);
    const [status] = await t.migrator.status({ databases: ['reports'] });
    expect(status!.hasHistory).to.equal(false);
    expect(status!.migrations.every((m) => m.state === 'not-routed')).to.equal(true);
  });

  it('follows the seed strategy: licensing first, then default', async () => {
    const first = await t.migrator.up({ databases: ['licensing'] });
    expect(first.databases.map((d) => d.alias)).to.deep.equal(['licensing']);
    expect(await tables(t.names.default!)).to.deep.equal([]);
    await t.migrator.up({ databases: ['default'] });
    expect(await history(t.names.default!)).to.deep.equal(['fbs_app/0001_initial']);
    const again = await t.migrator.up({ databases: ['licensing', 'default'] });
    expect(again.databases.flatMap((d) => d.applied)).to.deep.equal([]);
  });

  it('plan() reports pending, applied and not-routed, and changes nothing', async () => {
    await t.migrator.up({ databases: ['licensing'], step: 1 });
    const plans = await t.migrator.plan();
    expect(plans).to.deep.equal([
      { alias: 'default', pending: ['fbs_app/0001_initial'], applied: [], notRouted: ['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_usage', 'solution_app/0001_initial'] },
      { alias: 'licensing', pending: ['fbs_license_manager/0002_usage'], applied: ['fbs_license_manager/0001_initial'], notRouted: ['fbs_app/0001_initial', 'solution_app/0001_initial'] },
      { alias: 'djo_acme_db', pending: ['solution_app/0001_initial'], applied: [], notRouted: ['fbs_app/0001_initial', 'fbs_license_manager/0001_initial', 'fbs_license_manager/0002_usage'] },
      { alias: 'reports', pending: [], applied: [], notRouted: ['fbs_app/0001_initial', 'fbs_license_manager/0001_initial', 'fbs_license_manager/0002_usage', 'solution_app/0001_initial'] },
    ]);
    expect(await tables(t.names.default!)).to.deep.equal([]);
    expect(await tables(t.names.djo_acme_db!)).to.deep.equal([]);
    expect(await history(t.names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial']);
  });

  it('passes modelName and the migration hints to allowMigrate', async () => {
    const seen: unknown[] = [];
    const app = defineApp({
      label: 'hinted',
      migrations: [createTable('0001_a', 'hinted_a', { modelName: 'Thing', hints: { target: 'licensing' } })],
    });
    const h = await makeProject(['default', 'licensing'], [app], {
      routers: [{ allowMigrate: (db, label, hints) => (seen.push({ db, label, hints }), db === hints.target) }],
    });
    try {
      const report = await h.migrator.up();
      expect(report.databases.map((d) => d.applied.length)).to.deep.equal([0, 1]);
      expect(seen).to.deep.include({ db: 'licensing', label: 'hinted', hints: { modelName: 'Thing', target: 'licensing' } });
      expect(await tables(h.names.default!)).to.deep.equal([]);
    } finally {
      await h.close();
    }
  });

  it('refuses an unknown alias before anything runs, naming it', async () => {
    try {
      await t.migrator.up({ databases: ['licensing', 'licensnig'] });
      expect.fail('expected an error');
    } catch (error) {
      expect((error as Error).message).to.contain("Unknown database alias 'licensnig'").and.contain("Did you mean 'licensing'?");
    }
    expect(await tables(t.names.licensing!)).to.deep.equal([]);
  });
});
