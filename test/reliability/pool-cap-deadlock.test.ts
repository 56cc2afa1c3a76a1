import { expect } from 'chai';
import { DataTypes } from 'sequelize';
import { ConfigurationError, type MigrationModule } from '@fbs/core';
import { SolutionManager } from '@fbs/solutions';
import { Partner, Preference, solutionProject, uniqueSolution, TEMPLATES } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

/** Resolves once `ready()` holds, or after `ms` (whichever comes first). */
async function until(ready: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

describe('reliability: the pool cap never deadlocks', function () {
  this.timeout(120_000);
  let system: string;
  const managers: SolutionManager[] = [];
  before(async () => {
    system = (await createDatabases(1, 'capdl'))[0]!;
  });
  after(async () => {
    for (const m of managers.reverse()) await dropAll(m);
  });

  async function manager(pool: object, extra?: Parameters<typeof solutionProject>[1]): Promise<SolutionManager> {
    const m = new SolutionManager(solutionProject((await testServer()).url(system), extra), { pool, templates: TEMPLATES });
    managers.push(m);
    return m;
  }

  it('six transactions that each touch both databases of their solution all commit under a cap of 6, and another tenant is served meanwhile', async () => {
    const m = await manager({ maxConnections: 6, perSolution: 2, acquireTimeoutMs: 8_000 });
    const names = Array.from({ length: 6 }, () => uniqueSolution('dl'));
    const bystander = uniqueSolution('by');
    for (const name of [...names, bystander]) await m.create(name);
    const { project } = m;
    let holding = 0;
    const started = Date.now();
    const transactions = names.map((name) =>
      m.withSolution(name, () =>
        project.transaction(Preference, async () => {
          await project.model(Preference).create({ key: 'tx', value: name });
          holding++;
          // The worst interleaving: every transaction holds its first database before any asks for its second.
          await until(() => holding >= names.length, 1_000);
          await project.model(Partner).create({ name });
        }),
      ),
    );
    await until(() => holding >= 3, 5_000);
    const asked = Date.now();
    const count = await m.withSolution(bystander, () => project.model(Preference).count());
    const waited = Date.now() - asked;
    const outcomes = await Promise.allSettled(transactions);

    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).to.deep.equal([]);
    expect(count).to.equal(0);
    expect(waited, "the bystander's count() waited (ms)").to.be.below(4_000);
    expect(Date.now() - started, 'all six committed within (ms)').to.be.below(10_000);
    for (const name of names) {
      expect(await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference')).to.deep.equal([{ key: 'tx', value: name }]);
      expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM erp_partner')).to.deep.equal([{ name }]);
    }
    expect(m.poolStats().maxSeen).to.be.at.most(6);
  });

  it('migrateAll under a cap of 4: concurrency 4 is refused before anything runs; the default migrates all six solutions while tenants keep working', async () => {
    const base = await manager({ maxConnections: 4 });
    const names = Array.from({ length: 6 }, () => uniqueSolution('mg'));
    for (const name of names) await base.create(name);
    const slowNote = (table: string): MigrationModule => ({
      name: '0002_note',
      up: async ({ queryInterface, transaction }) => {
        await queryInterface.sequelize.query('SELECT pg_sleep(0.2)', { transaction });
        await queryInterface.addColumn(table, 'note', DataTypes.STRING, { transaction });
      },
    });
    const m = await manager({ maxConnections: 4, acquireTimeoutMs: 8_000 }, { prefs: [slowNote('prefs_preference')], erp: [slowNote('erp_partner')] });

    const refused = await m.migrateAll({ concurrency: 4 }).then(() => undefined, (e: unknown) => e);
    expect(refused).to.be.instanceOf(ConfigurationError);
    expect((refused as Error).message).to.contain('migrateAll({ concurrency }) (4) × pool.perSolution (2) = 8').and.contain('pool.maxConnections (4)').and.contain('at most 2');
    expect(await queryDatabase(`djo_${names[0]}_db`, 'SELECT name FROM fbs_migrations ORDER BY id')).to.have.length(1);

    const { project } = m;
    let stop = false;
    let tenantErrors = 0;
    const tenant = async (name: string) => {
      while (!stop) {
        await m
          .withSolution(name, () => project.transaction(Partner, async () => {
            await project.model(Partner).create({ name });
            await project.model(Preference).count();
          }))
          .catch(() => tenantErrors++);
        await new Promise((r) => setTimeout(r, 30)); // a pool that is never idle keeps its connections
      }
    };
    const tenants = [names[0]!, names[3]!].map(tenant);
    const started = Date.now();
    const report = await m.migrateAll().finally(() => (stop = true));
    await Promise.all(tenants);
    expect(report.solutions.filter((s) => s.error).map((s) => `${s.name}: ${s.error!.message}`)).to.deep.equal([]);
    expect(report.failed).to.equal(0);
    expect(tenantErrors, 'failed tenant transactions').to.equal(0);
    expect(Date.now() - started).to.be.below(20_000);
    for (const name of names) {
      for (const database of [`djo_${name}_db`, `fbs_${name}_db`]) {
        const history = await queryDatabase(database, 'SELECT name FROM fbs_migrations ORDER BY id');
        expect(history.map((h) => h.name.split('/')[1]), database).to.deep.equal(['0001_initial', '0002_note']);
      }
    }
    expect(m.poolStats().maxSeen).to.be.at.most(4);
  });
});
