import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { solutionsCli } from '../solutions/fixtures/cli-runner';
import { InvalidSolutionNameError, SolutionManager, solutionNameGuard } from '@fbs/solutions';
import { solutionProject, TEMPLATES } from '../solutions/fixtures/apps';
import { databasesLike, dropAll } from '../solutions/fixtures/cleanup';
import { createDatabases, testServer } from '../harness/postgres';

// A server that is never reached: every check here runs before any SQL.
const unreachable = () => solutionProject('postgres://postgres@127.0.0.1:1/fbs_never_connected');

describe('reliability: names the SDK refuses before any SQL', () => {
  it('refuses a template database name over 63 bytes (PostgreSQL would truncate it silently)', () => {
    const long = `template_${'x'.repeat(30)}`; // 39 characters: the longest valid templates.name
    const make = (config: ConstructorParameters<typeof SolutionManager>[1]) => () => new SolutionManager(unreachable(), config);
    expect(make({ templates: { name: long }, databases: { djo: 'djo_tenant_application_{name}_db', fbs: 'fbs_{name}_db' } })).to.throw(
      ConfigurationError,
      new RegExp(`templates.name "${long}" gives 'djo_tenant_application_${long}_db' \\(65 bytes\\), longer than PostgreSQL's 63-byte identifier limit; use a name of at most 37 characters`),
    );
    expect(make({ templates: { name: long }, roles: { password: () => 'pw', name: 'fbs_solution_tenant_{name}_login' } })).to.throw(ConfigurationError, /'fbs_solution_tenant_template_x+_login' \(65 bytes\)/);
    // The longest name that fits is accepted.
    expect(make({ templates: { name: `template_${'x'.repeat(28)}` }, databases: { djo: 'djo_tenant_application_{name}_db' } })).not.to.throw();
  });

  it('solutionNameGuard refuses what create() refuses: reserved names, server databases, bad patterns', async () => {
    const guard = solutionNameGuard();
    expect(() => guard('acme_corp')).not.to.throw();
    for (const name of ['template', 'template_t1', 'templates', 'pg_catalog', 'Acme', '', 'a'.repeat(41), 42]) {
      expect(() => guard(name), String(name)).to.throw(InvalidSolutionNameError);
    }
    expect(() => guard('template')).to.throw(/names starting with 'template' are reserved/);
    // With bare name templates a solution could be a database the server has.
    const bare = solutionNameGuard({ app: '{name}' });
    expect(() => bare('postgres')).to.throw(InvalidSolutionNameError, /'postgres', which belongs to the server itself/);
    // The manager's guard also knows the project's databases.
    const manager = new SolutionManager(unreachable(), { databases: { app: '{name}' } });
    expect(() => manager.nameGuard()('fbs_never_connected')).to.throw(InvalidSolutionNameError, /already a configured database/);
    expect(() => manager.nameGuard()('acme')).not.to.throw();
    await manager.close();
  });
});

describe('reliability: fbs-solutions exit codes for unknown and invalid solutions', function () {
  this.timeout(120_000);
  let url: string;
  before(async () => {
    url = (await testServer()).url((await createDatabases(1, 'solexit'))[0]!);
  });
  after(() => dropAll(new SolutionManager(solutionProject(url), { templates: TEMPLATES })));

  const cli = solutionsCli(() => url);

  it('an unknown solution exits 2, and the advice names the CLI command', async () => {
    for (const argv of [['migrate', '--solution', 'zeta'], ['drop', 'zeta', '--confirm', 'zeta']]) {
      const run = await cli(...argv);
      expect(run.code, argv.join(' ')).to.equal(2);
      expect(run.stderr, argv.join(' ')).to.contain("Unknown solution 'zeta'");
    }
    expect((await cli('migrate', '--solution', 'zeta')).stderr).to.contain('`fbs-solutions create zeta`');
    expect((await cli('drop', 'zeta', '--confirm', 'zeta')).stderr).to.contain('`fbs-solutions list`');
  });

  it('an invalid or reserved solution exits 2 before anything runs', async () => {
    for (const argv of [['create', 'template'], ['create', TEMPLATES.name!], ['drop', 'template', '--confirm', 'template'], ['migrate', '--solution', 'pg_x'], ['create', 'Zeta']]) {
      const run = await cli(...argv);
      expect(run.code, argv.join(' ')).to.equal(2);
      expect(run.stderr, argv.join(' ')).to.contain('Invalid solution name');
    }
    expect(await databasesLike('%zeta%')).to.deep.equal([]);
  });
});
