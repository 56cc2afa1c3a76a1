import { expect } from 'chai';
import { format } from 'node:util';
import createDebug from 'debug';
import { Client } from 'pg';
import { DataTypes } from 'sequelize';
import { SolutionManager } from '@fbs/solutions';
import { Preference, solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { adminQuery, createDatabases, queryDatabase, testServer } from '../harness/postgres';

const password = (name: string) => `pw-${name}-Zq81x`;

async function connectAs(role: string, database: string): Promise<unknown> {
  const server = await testServer();
  const client = new Client({ host: server.host, port: server.port, user: role, password: 'irrelevant', database });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('solutions: least-privilege roles', function () {
  this.timeout(120_000);
  let manager: SolutionManager;
  let system: string;
  const logs: string[] = [];
  const originalLog = createDebug.log;
  let a: string;
  let b: string;
  const vias: string[] = [];

  before(async () => {
    system = (await createDatabases(1, 'solrole'))[0]!;
    const extra = {
      prefs: [{ name: '0002_note', up: ({ queryInterface, transaction }: any) => queryInterface.addColumn('prefs_preference', 'note', DataTypes.STRING, { transaction }) }],
    };
    manager = new SolutionManager(solutionProject((await testServer()).url(system!), extra), { roles: { password }, templates: TEMPLATES });
    createDebug.log = (...args: unknown[]) => void logs.push(format(...(args as [string])));
    createDebug.enable('fbs:*');
    manager.on('database:created', ({ via }) => vias.push(via));
    [a, b] = [uniqueSolution('rolea'), uniqueSolution('roleb')];
    await manager.create(a);
    await manager.create(b);
  });
  after(async () => {
    createDebug.disable();
    createDebug.log = originalLog;
    await dropAll(manager);
  });

  it("a solution's role cannot connect to another solution's databases", async () => {
    for (const database of [`djo_${b}_db`, `fbs_${b}_db`]) {
      const error = await connectAs(`fbs_${a}_role`, database);
      expect(error, database).to.have.property('code', '42501');
      expect(String((error as Error).message)).to.contain('permission denied for database');
    }
    expect(await connectAs(`fbs_${a}_role`, `djo_${a}_db`)).to.equal(undefined);
    const [{ allowed }] = await adminQuery("SELECT has_database_privilege('public', $1, 'CONNECT') AS allowed", [`djo_${a}_db`]);
    expect(allowed).to.equal(false);
  });

  it("the solution's connections use its role, which owns its tables (also when cloned from a template)", async () => {
    const rows = await manager.withSolution(a, () => manager.project.connection(`djo_${a}_db`).query('SELECT current_user AS u', { plain: true }));
    expect(rows).to.deep.equal({ u: `fbs_${a}_role` });
    const owners = await queryDatabase(`djo_${a}_db`, "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(owners.map((o) => o.tableowner)).to.deep.equal([`fbs_${a}_role`, `fbs_${a}_role`]);
    expect(vias).to.deep.equal(['template', 'template', 'template', 'template']);
    // The templates stay the admin's: handing a clone's objects to its role must not move them.
    const templates = await adminQuery('SELECT datname, datdba::regrole::text AS owner FROM pg_database WHERE datname = ANY($1) ORDER BY 1', [[`djo_${TEMPLATES.name}_db`, `fbs_${TEMPLATES.name}_db`]]);
    const admin = (await testServer()).user;
    expect(templates).to.deep.equal([{ datname: `djo_${TEMPLATES.name}_db`, owner: admin }, { datname: `fbs_${TEMPLATES.name}_db`, owner: admin }]);
    await manager.withSolution(a, () => manager.project.model(Preference).create({ key: 'k', value: 'v' }));
    expect(await queryDatabase(`djo_${a}_db`, 'SELECT key, note FROM prefs_preference')).to.deep.equal([{ key: 'k', note: null }]);
  });

  it('never writes a password into a log or an error', async () => {
    expect(logs.join('\n')).to.contain("PASSWORD '<redacted>'");
    for (const name of [a, b]) expect(logs.join('\n')).not.to.contain(password(name));
    // A role whose database is gone: the error names the alias, not the password.
    await adminQuery(`DROP DATABASE "fbs_${b}_db" WITH (FORCE)`);
    const error = await manager.withSolution(b, () => manager.project.connection(`fbs_${b}_db`).query('SELECT 1')).catch((e: unknown) => e);
    expect((error as Error).message).to.contain(`fbs_${b}_db`);
    expect(String((error as Error).stack) + JSON.stringify(error)).not.to.contain(password(b));
    expect(logs.join('\n')).not.to.contain(password(b));
  });
});
