import { expect } from 'chai';
import { createProject, defineApp, type DatabaseConfig, type DatabaseRouter } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { assertTenantIsolation, setupTestDatabases, TenantLeakError, type TestDatabases } from '@fbs/testing';
import { erpMigrations, Partner, Preference, prefsMigrations, TEMPLATES } from '../solutions/fixtures/apps';
import { dropWithPrefix, uniquePrefix } from './helpers';
import { adminQuery, testServer } from '../harness/postgres';

/** The solutions fixture app, with `routers` in front of SolutionRouter (a buggy router under test). */
function tenantProject(databases: Record<string, DatabaseConfig>, routers: DatabaseRouter[] = []) {
  return createProject({
    databases,
    routers: [...routers, new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })],
    apps: [defineApp({ label: 'prefs', models: [Preference], migrations: prefsMigrations }), defineApp({ label: 'erp', models: [Partner], migrations: erpMigrations })],
  });
}

describe('@fbs/testing: assertTenantIsolation and solutions created in a test', function () {
  this.timeout(240_000);
  const prefix = uniquePrefix();
  let db: TestDatabases;
  let manager: SolutionManager;
  /** Set by a test to put a buggy router in front of the real one. */
  let buggy: DatabaseRouter[] = [];

  before(async () => {
    const server = await testServer();
    db = await setupTestDatabases({
      databases: { default: { host: server.host, port: server.port, username: server.user, password: server.password, database: 'tenants_sys' } },
      prefix,
      project: (databases) => tenantProject(databases, [{ dbForWrite: (m, h) => buggy.reduce<string | null>((a, r) => a ?? r.dbForWrite?.(m, h) ?? null, null) }]),
    });
    manager = new SolutionManager(db.project, { templates: TEMPLATES });
  });
  afterEach(() => {
    buggy = [];
  });
  after(async () => {
    await manager?.dropTemplates();
    await manager?.close();
    await db?.teardown({ templates: true });
    await dropWithPrefix(prefix);
  });

  // Solution names of this process (other runs may share the server).
  const tag = `iso${process.pid}`;
  const solutionDatabases = async () => (await adminQuery<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ ('^(djo|fbs)_' || $1)", [tag])).map((r) => r.datname);

  it('passes for an app that keeps each solution in its databases, running the scenarios concurrently', async () => {
    const seen: string[] = [];
    const report = await assertTenantIsolation(manager, async ({ project, marker, solution }) => {
      seen.push(project.hints().solution as string);
      await project.model(Preference).create({ key: 'owner', value: marker });
      await project.transaction(Partner, () => project.model(Partner).create({ name: `${marker} partner` }));
      expect(project.hints().solution).to.equal(solution);
    }, { names: [`${tag}_x`, `${tag}_y`, `${tag}_z`] });
    expect(report.solutions).to.have.length(3);
    expect(seen).to.have.members(report.solutions);
    for (const solution of report.solutions) expect(report.rows[solution]).to.deep.equal({ [`djo_${solution}_db`]: 1, [`fbs_${solution}_db`]: 1 });
    expect(await solutionDatabases(), 'its solutions are dropped').to.deep.equal([]);
  });

  it("catches a router that sends one solution's rows to another's database", async () => {
    let first: string | undefined;
    // A classic bug: the router memoises the first database it computed.
    buggy = [{ dbForWrite: (model, hints) => (model.appLabel === 'prefs' && typeof hints.database === 'string' ? (first ??= hints.database) : null) }];
    const error = await assertTenantIsolation(manager, ({ project, marker }) => project.model(Preference).create({ key: 'owner', value: marker }), { names: [`${tag}_a`, `${tag}_b`] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TenantLeakError);
    const leaks = (error as TenantLeakError).leaks;
    const [owner, victim] = first === `djo_${tag}_a_db` ? [`${tag}_b`, `${tag}_a`] : [`${tag}_a`, `${tag}_b`];
    expect(leaks).to.include(`1 row(s) of solution '${owner}' are in '${first}', a database of solution '${victim}'`);
    expect((error as Error).message).to.contain(`no row carrying the marker of solution '${owner}' is in its databases`);
    expect(await solutionDatabases()).to.deep.equal([]);
  });

  it('catches a scenario that writes to a system database', async () => {
    await db.project.connection('default').query('CREATE TABLE IF NOT EXISTS audit_log (entry text)');
    const error = await assertTenantIsolation(manager, async ({ project, marker, index }) => {
      await project.model(Preference).create({ key: 'owner', value: marker });
      if (index === 1) await project.connection('default').query('INSERT INTO audit_log VALUES (?)', { replacements: [marker] });
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TenantLeakError);
    expect((error as TenantLeakError).leaks).to.deep.equal(["system database 'default' changed while the scenarios ran (table public.audit_log)"]);
  });

  it('inside a test: system writes join its transaction, and the solutions it created are dropped after it', async () => {
    const test = await db.isolate({ title: 'creates a solution', databases: ['default'], solutions: manager });
    const name = `${tag}_in_test`;
    await manager.create(name);
    await manager.withSolution(name, () => db.project.model(Preference).create({ key: 'k', value: 'v' }));
    expect(await manager.list()).to.include(name);
    expect(await solutionDatabases()).to.have.members([`djo_${name}_db`, `fbs_${name}_db`]);
    await test.end();
    expect(await solutionDatabases()).to.deep.equal([]);
    expect(await manager.list()).to.not.include(name);
  });
});
