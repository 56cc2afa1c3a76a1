import { expect } from 'chai';
import { SolutionManager, ConfirmationRequiredError, SolutionStateError, UnknownSolutionError } from '@fbs/solutions';
import { Partner, Preference, solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { databasesLike, dropAll } from './fixtures/cleanup';
import { adminQuery, createDatabases, queryDatabase, testServer } from '../harness/postgres';

describe('solutions: lifecycle', function () {
  this.timeout(60_000);
  let manager: SolutionManager;
  let system: string;

  before(async () => {
    const server = await testServer();
    system = (await createDatabases(1, 'sollife'))[0]!;
    manager = new SolutionManager(solutionProject(server.url(system!)), { templates: TEMPLATES });
  });
  after(() => dropAll(manager));

  it('creates both databases at head, catalogued, and emits lifecycle events in order', async () => {
    const name = uniqueSolution('life');
    const events: string[] = [];
    for (const e of ['creating', 'database:created', 'migrated', 'created'] as const) manager.on(e, () => events.push(e));
    const info = await manager.create(name);
    expect(info).to.include({ name, state: 'ready' });
    expect(info.databases).to.deep.equal({ djo: `djo_${name}_db`, fbs: `fbs_${name}_db` });
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
    expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'erp/0001_initial' }]);
    const catalogue = await queryDatabase(system, 'SELECT name, state, databases FROM fbs_solutions WHERE name = $1', [name]);
    expect(catalogue).to.deep.equal([{ name, state: 'ready', databases: { djo: `djo_${name}_db`, fbs: `fbs_${name}_db` } }]);
    expect(events[0]).to.equal('creating');
    expect(events.at(-1)).to.equal('created');
    expect(events.filter((e) => e === 'database:created')).to.have.length(2);
    expect(await manager.list()).to.include(name);
  });

  it('create twice is idempotent: same databases, one catalogue row, no second migration', async () => {
    const name = uniqueSolution('twice');
    await manager.create(name);
    await manager.withSolution(name, () => manager.project.model(Preference).create({ key: 'k', value: 'kept' }));
    const created: unknown[] = [];
    manager.on('database:created', (e) => created.push(e));
    const [again, concurrent] = await Promise.all([manager.create(name), manager.create(name)]);
    expect(again.state).to.equal('ready');
    expect(concurrent).to.deep.equal(again);
    expect(created).to.deep.equal([]);
    expect(await databasesLike(`%\\_${name}\\_db`)).to.have.length(2);
    expect(await queryDatabase(system, 'SELECT count(*)::int AS n FROM fbs_solutions WHERE name = $1', [name])).to.deep.equal([{ n: 1 }]);
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT value FROM prefs_preference')).to.deep.equal([{ value: 'kept' }]);
  });

  it('creates many solutions at once (more than the admin connections) without deadlock', async () => {
    const names = Array.from({ length: 6 }, () => uniqueSolution('many'));
    const infos = await Promise.all(names.map((n) => manager.create(n)));
    expect(infos.map((i) => i.state)).to.deep.equal(names.map(() => 'ready'));
    for (const name of names) expect(await databasesLike(`%\\_${name}\\_db`)).to.have.length(2);
  });

  it('routes solution apps to their own database of the pair under withSolution', async () => {
    const name = uniqueSolution('route');
    await manager.create(name);
    await manager.withSolution(name, async () => {
      const pref = await manager.project.model(Preference).create({ key: 'theme', value: 'dark' });
      const partner = await manager.project.model(Partner).create({ name: 'ACME' });
      expect(manager.project.dbOf(pref)).to.equal(`djo_${name}_db`);
      expect(manager.project.dbOf(partner)).to.equal(`fbs_${name}_db`);
    });
    expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM erp_partner')).to.deep.equal([{ name: 'ACME' }]);
    expect(await queryDatabase(`djo_${name}_db`, "SELECT to_regclass('erp_partner') AS t")).to.deep.equal([{ t: null }]);
  });

  it('drop needs confirmation: without it nothing is dropped', async () => {
    const name = uniqueSolution('drop');
    await manager.create(name);
    for (const options of [undefined, {}, { confirm: 'yes' }, { confirm: `${name}x` }]) {
      const error = await manager.drop(name, options as any).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfirmationRequiredError);
      expect((error as Error).message).to.contain(`{ confirm: '${name}' }`);
    }
    expect(await databasesLike(`%\\_${name}\\_db`)).to.have.length(2);
    const dropped: unknown[] = [];
    manager.on('dropped', (e) => dropped.push(e));
    await manager.drop(name, { confirm: name });
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([]);
    expect(await manager.list()).not.to.include(name);
    expect(manager.project.connections.aliases()).not.to.include(`djo_${name}_db`);
    expect(dropped).to.deep.equal([{ solution: name, databases: [`djo_${name}_db`, `fbs_${name}_db`] }]);
    const error = await manager.withSolution(name, () => 1).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UnknownSolutionError);
  });

  it('refuses to take over databases that exist outside the catalogue, unless adopt is set', async () => {
    const name = uniqueSolution('foreign');
    await adminQuery(`CREATE DATABASE "djo_${name}_db"`);
    const error = await manager.create(name).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SolutionStateError);
    expect((error as Error).message).to.contain(`'djo_${name}_db'`).and.contain('adopt');
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`]);
    await manager.create(name, { adopt: true });
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
  });

  it('awaits plugin hooks; a failing hook leaves the solution unfinished and the next create runs it again', async () => {
    const server = await testServer();
    const seeded: string[] = [];
    let fail = true;
    const plugged = new SolutionManager(solutionProject(server.url(system)), {
      templates: TEMPLATES,
      plugins: [
        {
          async created(solution, m) {
            if (fail) throw new Error('seeding failed');
            await m.withSolution(solution.name, () => m.project.model(Preference).findOrCreate({ where: { key: 'seeded' }, defaults: { value: 'yes' } }));
            seeded.push(solution.name);
          },
        },
      ],
    });
    try {
      const name = uniqueSolution('plug');
      const error = await plugged.create(name).catch((e: unknown) => e);
      expect((error as Error).message).to.equal('seeding failed');
      expect(await queryDatabase(system, 'SELECT state FROM fbs_solutions WHERE name = $1', [name])).to.deep.equal([{ state: 'creating' }]);
      fail = false;
      await plugged.create(name);
      expect(seeded).to.deep.equal([name]);
      expect(await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference')).to.deep.equal([{ key: 'seeded', value: 'yes' }]);
    } finally {
      await plugged.close();
      await plugged.project.close();
    }
  });

  it('a new process knows every solution from the catalogue', async () => {
    const name = uniqueSolution('again');
    await manager.create(name);
    const server = await testServer();
    const other = new SolutionManager(solutionProject(server.url(system)), { templates: TEMPLATES });
    try {
      expect(await other.list()).to.include(name);
      await other.withSolution(name, () => other.project.model(Partner).create({ name: 'from elsewhere' }));
      expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM erp_partner')).to.deep.equal([{ name: 'from elsewhere' }]);
    } finally {
      await other.close();
      await other.project.close();
    }
  });
});
