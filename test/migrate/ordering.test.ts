import { expect } from 'chai';
import { Migrator, MigrationPlanError } from '@fbs/migrate';
import { createProject, type MigrationModule } from '@fbs/core';
import { createTable, defineApp, history, makeProject } from './helpers';

const noop = (name: string, dependencies?: string[]): MigrationModule => ({ name, up: async () => undefined, down: async () => undefined, dependencies });
const projectOf = (apps: ReturnType<typeof defineApp>[]) => createProject({ databases: { default: 'postgres://127.0.0.1:5432/unused' }, apps });

describe('migrate: ordering and dependencies', () => {
  it('orders by dependencies, then app order, then name', () => {
    const a = defineApp({ label: 'a', migrations: [noop('0002_b'), noop('0001_a'), noop('0003_c', ['b/0002_y'])] });
    const b = defineApp({ label: 'b', migrations: [noop('0001_x'), noop('0002_y', ['a/0002_b'])] });
    const c = defineApp({ label: 'c', migrations: [noop('0001_z')] });
    const migrator = new Migrator(projectOf([a, b, c]));
    expect(migrator.migrations()).to.deep.equal(['a/0001_a', 'a/0002_b', 'b/0001_x', 'b/0002_y', 'a/0003_c', 'c/0001_z']);
  });

  it('a dependency on a later app pulls that migration first; an app still runs in name order', () => {
    const a = defineApp({ label: 'a', migrations: [noop('0001_a'), noop('0002_b', ['b/0001_x'])] });
    const b = defineApp({ label: 'b', migrations: [noop('0001_x'), noop('0002_y')] });
    expect(new Migrator(projectOf([a, b])).migrations()).to.deep.equal(['a/0001_a', 'b/0001_x', 'a/0002_b', 'b/0002_y']);
  });

  it('refuses a cycle before anything runs, naming the loop', () => {
    const a = defineApp({ label: 'a', migrations: [noop('0001_a', ['b/0002_y']), noop('0002_b')] });
    const b = defineApp({ label: 'b', migrations: [noop('0001_x'), noop('0002_y', ['a/0002_b'])] });
    expect(() => new Migrator(projectOf([a, b])))
      .to.throw(MigrationPlanError, /cycle: .*a\/0001_a.*a\/0002_b.*b\/0002_y/)
      .with.property('code', 'FBS_MIGRATION_PLAN');
  });

  it('refuses a missing dependency, listing what the app ships', () => {
    const a = defineApp({ label: 'a', migrations: [noop('0001_a', ['b/0009_nope'])] });
    const b = defineApp({ label: 'b', migrations: [noop('0001_x')] });
    expect(() => new Migrator(projectOf([a, b]))).to.throw(MigrationPlanError, "'a/0001_a' depends on 'b/0009_nope', which no app ships. App 'b' ships: b/0001_x.");
  });

  it('refuses bad migration objects with the fix', () => {
    const bad = (migrations: unknown[]) => () => new Migrator(projectOf([defineApp({ label: 'a', migrations: migrations as MigrationModule[] })]));
    expect(bad([{ name: '0001', down: () => 0 }])).to.throw(MigrationPlanError, 'must export an `up(context)` function');
    expect(bad([{ up: () => 0 }])).to.throw(MigrationPlanError, "App 'a' migrations[0] needs a `name`");
    expect(bad([noop('0001'), noop('0001')])).to.throw(MigrationPlanError, "lists migration '0001' twice");
    expect(bad([{ ...noop('0001'), dependencies: ['nope'] }])).to.throw(MigrationPlanError, "namespaced names like 'other_app/0001_initial'");
    expect(bad([{ ...noop('0001'), transaction: 'no' }])).to.throw(MigrationPlanError, '`transaction` must be true or false');
  });

  it('applies in dependency order on a real database (history order)', async () => {
    const a = defineApp({ label: 'a', migrations: [createTable('0001_a', 'a_one'), createTable('0002_b', 'a_two', { dependencies: ['b/0001_x'] })] });
    const b = defineApp({ label: 'b', migrations: [createTable('0001_x', 'b_one')] });
    const t = await makeProject(['default'], [a, b], { routers: [] });
    try {
      await t.migrator.up();
      expect(await history(t.names.default!)).to.deep.equal(['a/0001_a', 'b/0001_x', 'a/0002_b']);
    } finally {
      await t.close();
    }
  });
});
