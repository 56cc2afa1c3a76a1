import { expect } from 'chai';
import { SolutionManager } from '@fbs/solutions';
import { solutionsCli } from './fixtures/cli-runner';
import { solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { databasesLike, dropAll } from './fixtures/cleanup';
import { createDatabases, testServer } from '../harness/postgres';

describe('solutions: fbs-solutions CLI', function () {
  this.timeout(120_000);
  let url: string;
  before(async () => {
    url = (await testServer()).url((await createDatabases(1, 'solcli'))[0]!);
  });
  after(async () => {
    const manager = new SolutionManager(solutionProject(url), { templates: TEMPLATES });
    await dropAll(manager);
  });

  const cli = solutionsCli(() => url);

  it('create, list, migrate and drop, with tables for people and --json for scripts', async () => {
    const [a, b] = [uniqueSolution('cli'), uniqueSolution('cli')];
    const created = await cli('create', a!, b!);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.contain(a).and.contain(`djo_${a}_db, fbs_${a}_db`).and.contain('template');

    const again = await cli('--json', 'create', a!);
    expect(again.code).to.equal(0);
    const json = JSON.parse(again.stdout);
    expect(json.solutions[0]).to.include({ name: a, state: 'ready' });
    expect(json.solutions[0].provisioned).to.deep.equal({});

    const listed = await cli('--json', 'list');
    expect(JSON.parse(listed.stdout).solutions.map((s: { name: string }) => s.name)).to.include.members([a, b]);
    expect((await cli('list')).stdout).to.match(new RegExp(`${a}\\s*│\\s*ready`));

    const migrated = await cli('--json', 'migrate', '--solution', a!, '--concurrency', '2');
    expect(migrated.code, migrated.stderr).to.equal(0);
    expect(JSON.parse(migrated.stdout)).to.deep.equal({ solutions: [{ name: a, applied: { [`djo_${a}_db`]: [], [`fbs_${a}_db`]: [] } }], failed: 0 });

    const refused = await cli('drop', a!);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain(`{ confirm: '${a}' }`).and.contain(`--confirm ${a}`);
    expect(await databasesLike(`%\\_${a}\\_db`)).to.have.length(2);

    const dropped = await cli('drop', a!, '--confirm', a!);
    expect(dropped.code, dropped.stderr).to.equal(0);
    expect(dropped.stdout).to.contain(`Dropped solution ${a}`);
    expect(await databasesLike(`%\\_${a}\\_db`)).to.deep.equal([]);
  });

  it('bad names and usage exit with 2 before anything runs', async () => {
    const bad = await cli('create', 'ok_name_but', 'Not Valid');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('"Not Valid"').and.contain('lowercase ASCII letters');
    expect(await databasesLike('%ok\\_name\\_but%')).to.deep.equal([]);
    expect((await cli()).code).to.equal(2);
    expect((await cli('frobnicate')).code).to.equal(2);
    const unknown = await cli('--json', 'migrate', '--solution', 'never_created_here');
    expect(unknown.code).to.equal(2);
    expect(JSON.parse(unknown.stdout).error.code).to.equal('FBS_UNKNOWN_SOLUTION');
  });
});
