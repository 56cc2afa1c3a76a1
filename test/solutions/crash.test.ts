import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SolutionManager, UnknownSolutionError } from '@fbs/solutions';
import { solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { databasesLike, dropAll } from './fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

const CHILD = path.join(__dirname, 'fixtures', 'create-and-die.ts');

function createAndDie(systemUrl: string, name: string, mode: 'templates' | 'empty', parallel = false): void {
  const child = spawnSync(process.execPath, ['--conditions=fbs-source', '-r', 'ts-node/register', CHILD, systemUrl, name, mode, parallel ? 'parallel' : 'sequential'], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.signal, child.stderr).to.equal('SIGKILL');
}

describe('solutions: crash safety', function () {
  this.timeout(120_000);
  let system: string;
  let manager: SolutionManager;
  before(async () => {
    system = (await createDatabases(1, 'solcrash'))[0]!;
    manager = new SolutionManager(solutionProject((await testServer()).url(system!)), { templates: TEMPLATES });
  });
  after(() => dropAll(manager));

  for (const mode of ['empty', 'templates'] as const) {
    it(`a creation killed between the two databases (${mode}) is finished by the next call`, async () => {
      const name = uniqueSolution(`crash${mode[0]}`);
      createAndDie((await testServer()).url(system), name, mode);
      // Half-created: one database, a 'creating' catalogue row, not usable.
      expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`]);
      expect(await queryDatabase(system, 'SELECT state FROM fbs_solutions WHERE name = $1', [name])).to.deep.equal([{ state: 'creating' }]);
      expect(await manager.list()).not.to.include(name);
      const refused = await manager.withSolution(name, () => 1).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(UnknownSolutionError);
      expect((refused as Error).message).to.contain(`finish it with \`fbs-solutions create ${name}\` (API: create('${name}'))`);

      const repaired: boolean[] = [];
      manager.on('created', (e) => repaired.push(e.repaired));
      const info = await manager.create(name);
      expect(info.state).to.equal('ready');
      expect(repaired).to.deep.equal([true]);
      expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
      expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
      expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'erp/0001_initial' }]);
      expect(await manager.list()).to.include(name);
    });
  }

  it('a creation killed while both databases are being created at once is finished by the next call', async () => {
    const name = uniqueSolution('crashpar');
    createAndDie((await testServer()).url(system), name, 'templates', true);
    // Killed as soon as one database existed; the other was under way on its own connection and may have been created.
    expect(await databasesLike(`%\\_${name}\\_db`)).to.have.length.within(1, 2);
    expect(await queryDatabase(system, 'SELECT state FROM fbs_solutions WHERE name = $1', [name])).to.deep.equal([{ state: 'creating' }]);
    const info = await manager.create(name);
    expect(info.state).to.equal('ready');
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
    expect(await queryDatabase(`fbs_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'erp/0001_initial' }]);
  });

  it('a half-created solution can be undone by drop instead', async () => {
    const name = uniqueSolution('crashdrop');
    createAndDie((await testServer()).url(system), name, 'empty');
    expect(await databasesLike(`%\\_${name}\\_db`)).to.have.length(1);
    await manager.drop(name, { confirm: name });
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([]);
    expect(await queryDatabase(system, 'SELECT * FROM fbs_solutions WHERE name = $1', [name])).to.deep.equal([]);
  });
});
