import { expect } from 'chai';
import { CrossSolutionError, InvalidSolutionNameError, SolutionManager, SolutionRouter } from '@fbs/solutions';
import { assertTenantIsolation } from '@fbs/testing';
import { Partner, Preference, solutionProject, uniqueSolution, TEMPLATES } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

const meta = (appLabel: string) => ({ appLabel, modelName: 'Preference', label: `${appLabel}.Preference`, model: Preference as any });
/** What a loaded instance looks like to a router: bound to its database's Sequelize, not new. */
const loaded = (database: string, isNewRecord = false) => ({ isNewRecord, sequelize: { config: { database } } }) as any;

describe('reliability: a loaded instance stays in its solution (SolutionRouter)', () => {
  const router = new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } });

  it('refuses an instance of solution b inside withSolution(a), naming both, for writes and reloads', () => {
    for (const route of [router.dbForWrite.bind(router), router.dbForRead.bind(router)]) {
      // What core passes (instanceDb = dbOf(instance)), and the instance's own database as fallback.
      for (const hints of [{ solution: 'acme', instance: loaded('djo_beta_db'), instanceDb: 'djo_beta_db' }, { solution: 'acme', instance: loaded('djo_beta_db') }]) {
        let error: unknown;
        try {
          route(meta('prefs'), hints);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(CrossSolutionError);
        expect((error as CrossSolutionError).solutions).to.deep.equal(['beta', 'acme']);
        expect((error as Error).message).to.contain("'djo_beta_db' (solution 'beta')").and.contain("withSolution('acme')").and.contain("project.using('djo_acme_db', Preference)");
      }
    }
  });

  it('routes instances of the current solution, unsaved ones, and instanceDb over the fallback as before', () => {
    expect(router.dbForWrite(meta('prefs'), { solution: 'acme', instance: loaded('djo_acme_db') })).to.equal('djo_acme_db');
    expect(router.dbForWrite(meta('erp'), { solution: 'acme', instance: loaded('fbs_acme_db'), instanceDb: 'fbs_acme_db' })).to.equal('fbs_acme_db');
    expect(router.dbForWrite(meta('prefs'), { solution: 'acme', instance: loaded('djo_beta_db', true) })).to.equal('djo_acme_db');
    expect(() => router.dbForWrite(meta('prefs'), { solution: 'acme', instance: loaded('djo_acme_db'), instanceDb: 'djo_beta_db' })).to.throw(CrossSolutionError);
    expect(router.dbForWrite(meta('prefs'), { solution: 'acme', instance: loaded('default') })).to.equal('djo_acme_db');
    expect(router.dbForWrite(meta('prefs'), { instance: loaded('djo_beta_db') })).to.equal(null);
    expect(router.dbForWrite(meta('fbs_app'), { solution: 'acme', instance: loaded('djo_beta_db') })).to.equal(null);
  });

  it('refuses a reserved solution hint: the template databases are not a tenant', () => {
    for (const solution of ['template', 'template_t1', 'pg_catalog']) {
      expect(() => router.dbForWrite(meta('prefs'), { solution }), solution).to.throw(InvalidSolutionNameError, /reserved/);
      expect(() => router.dbForRead(meta('erp'), { solution }), solution).to.throw(InvalidSolutionNameError, /reserved/);
    }
  });
});

describe('reliability: tenants on a real server (project.model, withSolution)', function () {
  this.timeout(120_000);
  let manager: SolutionManager;
  let a: string;
  let b: string;

  before(async () => {
    const [system] = await createDatabases(1, 'soltenant');
    manager = new SolutionManager(solutionProject((await testServer()).url(system!)), { templates: TEMPLATES });
    [a, b] = [uniqueSolution('tena'), uniqueSolution('tenb')];
    await manager.create(a);
    await manager.create(b);
  });
  after(() => dropAll(manager));

  const rows = (solution: string) => queryDatabase(`djo_${solution}_db`, 'SELECT id, key, value FROM prefs_preference ORDER BY id');

  it("an instance of solution b is never saved, reloaded or destroyed through solution a's scope", async () => {
    const { project } = manager;
    await manager.withSolution(a, () => project.model(Preference).create({ key: 'k', value: 'of a' }));
    const row = await manager.withSolution(b, async () => {
      await project.model(Preference).create({ key: 'k', value: 'of b' });
      return project.model(Preference).findOne({ where: { key: 'k' } });
    });
    expect(row!.id).to.equal(1);
    row!.value = 'changed';
    const calls: Array<[string, () => Promise<unknown>]> = [['save', () => row!.save()], ['reload', () => row!.reload()], ['destroy', () => row!.destroy()]];
    for (const [what, call] of calls) {
      const error = await manager.withSolution<unknown>(a, call).catch((e: unknown) => e);
      expect(error, what).to.be.instanceOf(CrossSolutionError);
      expect((error as Error).message, what).to.contain(`solution '${b}'`).and.contain(`withSolution('${a}')`);
    }
    expect(await rows(a)).to.deep.equal([{ id: 1, key: 'k', value: 'of a' }]);
    expect(await rows(b)).to.deep.equal([{ id: 1, key: 'k', value: 'of b' }]);
    expect(row!.value).to.equal('changed');
    // In its own solution it saves where it came from.
    await manager.withSolution(b, () => row!.save());
    expect(await rows(b)).to.deep.equal([{ id: 1, key: 'k', value: 'changed' }]);
    expect(await rows(a)).to.deep.equal([{ id: 1, key: 'k', value: 'of a' }]);
  });

  it('concurrent work of three solutions stays in their own databases and never reaches the system database (assertTenantIsolation)', async () => {
    const report = await assertTenantIsolation(manager, async ({ project, marker }) => {
      await project.model(Preference).create({ key: 'owner', value: marker });
      await project.transaction(Partner, () => project.model(Partner).create({ name: marker }));
      expect(await project.model(Preference).count({ where: { value: marker } })).to.equal(1);
    }, { names: [uniqueSolution('isoa'), uniqueSolution('isob'), uniqueSolution('isoc')] });
    for (const name of report.solutions) expect(report.rows[name]).to.deep.equal({ [`djo_${name}_db`]: 1, [`fbs_${name}_db`]: 1 });
  });

  it('the template databases are not reachable as a tenant: not as aliases, not through withSolution', async () => {
    const { project } = manager;
    const template = `djo_${TEMPLATES.name}_db`;
    expect(project.connections.has(template)).to.equal(false);
    expect(() => project.connection(template)).to.throw(/Unknown database alias|not configured|unknown/i);
    const viaProject = await Promise.resolve()
      .then(() => project.withSolution(TEMPLATES.name!, () => project.model(Preference).create({ key: 'leak', value: 'x' })))
      .catch((e: unknown) => e);
    expect(viaProject).to.be.instanceOf(InvalidSolutionNameError);
    for (const name of ['template', TEMPLATES.name!, 'pg_toast']) {
      await expect(manager.withSolution(name, () => 1), name).to.be.rejectedWith(InvalidSolutionNameError, /reserved/);
      await expect(manager.create(name), name).to.be.rejectedWith(InvalidSolutionNameError, /reserved/);
      await expect(manager.drop(name, { confirm: name }), name).to.be.rejectedWith(InvalidSolutionNameError, /reserved/);
    }
    expect(await queryDatabase(template, 'SELECT count(*)::int AS n FROM prefs_preference')).to.deep.equal([{ n: 0 }]);
    // A solution created afterwards is cloned without any such row.
    const c = uniqueSolution('tenc');
    await manager.create(c);
    expect(await rows(c)).to.deep.equal([]);
    expect(project.connections.has(template)).to.equal(false);
  });
});
