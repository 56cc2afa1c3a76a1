import { expect } from 'chai';
import { Client } from 'pg';
import { QueryTypes } from 'sequelize';
import { createProject, type Project } from '@fbs/core';
import { pooledSuite, startPooledServer, type PooledServer } from './fixtures';

/**
 * What session state survives transaction pooling (docs/pgbouncer.md): with one server connection
 * every client shares the same backend, so whatever leaks is seen at once.
 */
describe(pooledSuite('pgbouncer: session state under transaction pooling'), function () {
  this.timeout(120_000);
  let server: PooledServer;
  const db = 'pgb_state';
  const projects: Project[] = [];
  const clients: Client[] = [];

  before(async function () {
    server = await startPooledServer(this, { poolSize: 1 });
    await server.createDatabase(db);
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    for (const p of projects) await p.close();
    await server?.stop();
  });

  function project(extra: object = {}): Project {
    const p = createProject({ databases: { default: { url: server.bouncer.url(db), ...extra } }, apps: [] });
    projects.push(p);
    return p;
  }
  async function rawClient(): Promise<Client> {
    const client = new Client({ connectionString: server.bouncer.url(db) });
    await client.connect();
    clients.push(client);
    return client;
  }
  const show = async (p: Project, setting: string) =>
    (await p.connection('default').query<Record<string, string>>(`SHOW ${setting}`, { type: QueryTypes.SELECT }))
      .map((row) => Object.values(row)[0])[0];

  it("Sequelize's connect-time SET TIME ZONE is kept per client: PgBouncer tracks TimeZone", async () => {
    const kolkata = project({ timezone: '+05:30' });
    const utc = project();
    const raw = await rawClient();
    await raw.query("SET TIME ZONE 'America/New_York'");
    for (let i = 0; i < 5; i++) {
      expect(await show(kolkata, 'TimeZone')).to.equal('<+05:30>-05:30');
      expect(await show(utc, 'TimeZone')).to.equal('<+00>-00');
      expect((await raw.query('SHOW TimeZone')).rows[0].TimeZone).to.equal('America/New_York');
    }
    // …on one server connection.
    const pids = new Set<number>();
    for (const p of [kolkata, utc]) pids.add((await p.connection('default').query<{ pid: number }>('SELECT pg_backend_pid() AS pid', { type: QueryTypes.SELECT }))[0]!.pid);
    pids.add((await raw.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    expect(pids.size).to.equal(1);
  });

  it("an untracked session SET leaks to other clients (Sequelize's client_min_messages); dialectOptions.clientMinMessages 'ignore' sends none", async () => {
    const raw = await rawClient();
    await raw.query('SET client_min_messages TO notice');
    expect((await raw.query('SHOW client_min_messages')).rows[0].client_min_messages).to.equal('notice');
    const sequelize = project({ dialectOptions: { clientMinMessages: 'error' } });
    await show(sequelize, 'TimeZone'); // connects: Sequelize runs `SET client_min_messages TO error` outside a transaction
    expect((await raw.query('SHOW client_min_messages')).rows[0].client_min_messages).to.equal('error', 'the other client now has it');
    await raw.query('SET client_min_messages TO notice');
    const quiet = project({ dialectOptions: { clientMinMessages: 'ignore' } });
    await show(quiet, 'TimeZone');
    expect((await raw.query('SHOW client_min_messages')).rows[0].client_min_messages).to.equal('notice');
  });

  it('statement_timeout as a startup parameter is refused by PgBouncer; SET LOCAL inside a transaction works and ends with it', async () => {
    const refused = project({ dialectOptions: { statement_timeout: 1000 } });
    const error = await refused.connection('default').query('SELECT 1').catch((e: Error) => e);
    expect(String((error as Error).message)).to.contain('unsupported startup parameter: statement_timeout');
    const p = project();
    const sequelize = p.connection('default');
    const timedOut = await p
      .transaction('default', async () => {
        await sequelize.query("SET LOCAL statement_timeout = '200ms'");
        await sequelize.query('SELECT pg_sleep(2)');
      })
      .catch((e: Error) => e);
    expect(String((timedOut as Error).message)).to.contain('canceling statement due to statement timeout');
    // The one server connection has no timeout left for the next client.
    const raw = await rawClient();
    expect((await raw.query('SHOW statement_timeout')).rows[0].statement_timeout).to.equal('0');
    await raw.query('SELECT pg_sleep(0.3)');
  });

  it('named prepared statements do not survive: a second client on the same server connection collides with the first one', async () => {
    const a = await rawClient();
    const b = await rawClient();
    await a.query({ name: 'fbs_probe', text: 'SELECT 1 AS x' });
    // b never prepared 'fbs_probe', but pg prepares it again under the same name on the shared backend.
    const error = await b.query({ name: 'fbs_probe', text: 'SELECT 2 AS x' }).catch((e: Error) => e);
    expect(String((error as Error).message)).to.contain('prepared statement "fbs_probe" already exists');
    // Sequelize never names its statements: bind parameters use the unnamed statement, which works.
    const p = project();
    const rows = await p.connection('default').query<{ v: number }>('SELECT $1::int AS v', { bind: [42], type: QueryTypes.SELECT });
    expect(rows).to.deep.equal([{ v: 42 }]);
  });
});
