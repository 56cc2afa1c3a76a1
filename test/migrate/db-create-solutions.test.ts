import path from 'node:path';
import { expect } from 'chai';
import { createProject, defineApp } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { adminQuery, createDatabases, testServer } from '../harness/postgres';
import { TEMPLATES, uniqueSolution } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { history } from './helpers';
import { runInProcess } from './cli-harness';

const CWD = path.join(__dirname, 'fixtures/db-solutions');

describe('db create / db prepare --solution: the solutions\' own create', function () {
  this.timeout(120_000);
  let env: Record<string, string>;
  let url: string;
  before(async () => {
    url = (await testServer()).url((await createDatabases(1, 'seed'))[0]!);
    env = { FBS_TEST_SYSTEM_URL: url, FBS_TEST_TEMPLATE: TEMPLATES.name! };
  });
  after(async () => {
    const project = createProject({ databases: { default: url }, routers: [new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })], apps: [defineApp({ label: 'prefs' }), defineApp({ label: 'erp' })] });
    await dropAll(new SolutionManager(project, { templates: TEMPLATES }));
  });

  it('creates the solution (both databases, migrated, catalogued); again: it is ready, nothing to apply', async () => {
    const name = uniqueSolution('seed');
    const first = await runInProcess(['db', 'prepare', '--solution', name, '--json'], env, { cwd: CWD });
    expect(first.code, first.stderr).to.equal(0);
    const report = JSON.parse(first.stdout);
    expect(report.databases).to.deep.equal([]);
    expect(report.solutions).to.deep.equal([{ solution: name, outcome: 'ok', databases: [`djo_${name}_db`, `fbs_${name}_db`] }]);
    expect(report.migrated.databases.map((d: any) => d.alias)).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
    expect(await history(`djo_${name}_db`)).to.deep.equal(['prefs/0001_initial']);
    expect(await history(`fbs_${name}_db`)).to.deep.equal(['erp/0001_initial']);
    const [created] = await adminQuery('SELECT 1 AS ok FROM pg_database WHERE datname = $1', [`fbs_${name}_db`]);
    expect(created.ok).to.equal(1);
    const again = await runInProcess(['db', 'create', '--solution', name], env, { cwd: CWD });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(new RegExp(`solution ${name}\\s*│\\s*│\\s*ready`));
  });

  it('an invalid solution name: exit 2, nothing created', async () => {
    const bad = await runInProcess(['db', 'create', '--solution', 'Bad Name'], env, { cwd: CWD });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--solution "Bad Name"').and.contain('Invalid solution name');
  });
});
