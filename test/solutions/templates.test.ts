import { expect } from 'chai';
import { DataTypes } from 'sequelize';
import { SolutionManager, type ProvisionedVia } from '@fbs/solutions';
import { solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { adminQuery, createDatabases, queryDatabase, testServer } from '../harness/postgres';

function vias(manager: SolutionManager): ProvisionedVia[] {
  const seen: ProvisionedVia[] = [];
  manager.on('database:created', ({ via }) => seen.push(via));
  return seen;
}

describe('solutions: templates', function () {
  this.timeout(60_000);
  let system: string;
  const managers: SolutionManager[] = [];
  before(async () => {
    system = (await createDatabases(1, 'soltpl'))[0]!;
  });
  after(async () => {
    for (const m of managers.reverse()) await dropAll(m);
  });

  async function manager(extra?: Parameters<typeof solutionProject>[1], templates = true): Promise<SolutionManager> {
    const m = new SolutionManager(solutionProject((await testServer()).url(system), extra), { templates: templates && TEMPLATES });
    managers.push(m);
    return m;
  }

  it('clones migrated template databases, which carry the migrations fingerprint', async () => {
    const m = await manager();
    const seen = vias(m);
    const refreshed: string[] = [];
    m.on('template:refreshed', ({ database }) => refreshed.push(database));
    const name = uniqueSolution('tpl');
    await m.create(name);
    expect(seen).to.deep.equal(['template', 'template']);
    expect(refreshed.sort()).to.deep.equal([`djo_${TEMPLATES.name}_db`, `fbs_${TEMPLATES.name}_db`]);
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
    const [comment] = await adminQuery("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [`djo_${TEMPLATES.name}_db`]);
    expect(comment.c).to.equal(`fbs-template ${(await m.migrator()).fingerprint(`djo_${TEMPLATES.name}_db`)}`);
    await m.create(uniqueSolution('tpl'));
    expect(refreshed).to.have.length(2);
  });

  it('rebuilds a template when its migrations change, and the next solution gets them', async () => {
    const m = await manager({
      erp: [{ name: '0002_partner_vat', up: ({ queryInterface, transaction }) => queryInterface.addColumn('erp_partner', 'vat', DataTypes.STRING, { transaction }) }],
    });
    const seen = vias(m);
    const refreshed: string[] = [];
    m.on('template:refreshed', ({ database }) => refreshed.push(database));
    const name = uniqueSolution('tplnew');
    await m.create(name);
    expect(refreshed).to.deep.equal([`fbs_${TEMPLATES.name}_db`]);
    expect(seen).to.deep.equal(['template', 'template']);
    const columns = await queryDatabase(`fbs_${name}_db`, "SELECT column_name FROM information_schema.columns WHERE table_name = 'erp_partner' ORDER BY column_name");
    expect(columns.map((c) => c.column_name)).to.deep.equal(['id', 'name', 'vat']);
  });

  it('templates: false migrates empty databases to the same state', async () => {
    const m = await manager(undefined, false);
    const seen = vias(m);
    const name = uniqueSolution('empty');
    await m.create(name);
    expect(seen).to.deep.equal(['empty', 'empty']);
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
  });

  it('falls back to migrating when the template is busy (someone connected to it)', async () => {
    const m = await manager();
    await m.create(uniqueSolution('warm'));
    const server = await testServer();
    const { Client } = await import('pg');
    const intruder = new Client({ connectionString: server.url(`djo_${TEMPLATES.name}_db`) });
    await intruder.connect();
    try {
      const seen: Record<string, string> = {};
      m.on('database:created', ({ kind, via }) => (seen[kind] = via));
      const name = uniqueSolution('busy');
      await m.create(name);
      expect(seen).to.deep.equal({ djo: 'empty', fbs: 'template' });
      expect(await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
    } finally {
      await intruder.end();
    }
  });
});
