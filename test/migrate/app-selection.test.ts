import { expect } from 'chai';
import { MigrationPlanError } from '@fbs/migrate';
import { createTable, defineApp, history, makeProject, tables, type TestProject } from './helpers';

describe("up({ apps }) / up APP: one app's migrations with their dependencies (Django's migrate app_label)", () => {
  let t: TestProject | undefined;
  afterEach(() => t?.close());

  const apps = () => [
    defineApp({ label: 'core', migrations: [createTable('0001_users', 'users'), createTable('0002_audit', 'audit')] }),
    defineApp({ label: 'billing', migrations: [createTable('0001_invoices', 'invoices', { dependencies: ['core/0001_users'] }), createTable('0002_lines', 'lines')] }),
    defineApp({ label: 'other', migrations: [createTable('0001_other', 'other')] }),
  ];

  it("applies the app's migrations and what they depend on (with the migrations before that in its app), nothing else", async () => {
    t = await makeProject(['default'], apps(), { routers: [{ allowMigrate: () => true }] });
    const report = await t.migrator.up({ apps: ['billing'] });
    expect(report.databases[0]!.applied).to.deep.equal(['core/0001_users', 'billing/0001_invoices', 'billing/0002_lines']);
    expect(await history(t.names.default!)).to.deep.equal(['core/0001_users', 'billing/0001_invoices', 'billing/0002_lines']);
    expect(await tables(t.names.default!)).not.to.include.members(['audit', 'other']);
    expect((await t.migrator.up()).databases[0]!.applied).to.deep.equal(['core/0002_audit', 'other/0001_other']);
  });

  it('an unknown label is an error naming the closest one, before anything runs', async () => {
    t = await makeProject(['default'], apps(), { routers: [{ allowMigrate: () => true }] });
    await expect(t.migrator.up({ apps: ['biling'] })).to.be.rejectedWith(MigrationPlanError, "No app is labelled 'biling'. Did you mean 'billing'? Apps: core, billing, other.");
    expect(await tables(t.names.default!)).to.deep.equal([]);
  });
});
