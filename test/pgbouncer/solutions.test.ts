import { expect } from 'chai';
import { Client } from 'pg';
import { ConfigurationError, createProject, defineApp, type DatabaseConfig, type Project } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { erpMigrations, Partner, Preference, prefsMigrations, TEMPLATES, uniqueSolution } from '../solutions/fixtures/apps';
import { startPgBouncer } from '../harness/pgbouncer';
import { sampleMax } from '../reliability/pool-cap-sampler';
import { pooledSuite, startPooledServer, type PooledServer } from './fixtures';

function project(system: DatabaseConfig): Project {
  return createProject({
    databases: { default: system },
    routers: [new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } })],
    apps: [
      defineApp({ label: 'prefs', models: [Preference], migrations: prefsMigrations }),
      defineApp({ label: 'erp', models: [Partner], migrations: erpMigrations }),
    ],
  });
}

describe(pooledSuite('pgbouncer: solutions through a transaction pooler'), function () {
  this.timeout(180_000);
  let server: PooledServer;
  const managers: SolutionManager[] = [];
  const system = 'pgb_sol_system';

  before(async function () {
    server = await startPooledServer(this, { poolSize: 2 });
    await server.createDatabase(system);
  });
  after(async () => {
    for (const m of managers) {
      for (const record of await m.records().catch(() => [])) await m.drop(record.name, { confirm: record.name }).catch(() => undefined);
      await m.dropTemplates().catch(() => undefined);
      await m.close();
      await m.project.close();
    }
    await server?.stop();
  });

  function manager(config: DatabaseConfig, pool = { maxConnections: 8, perSolution: 2 }): SolutionManager {
    const m = new SolutionManager(project(config), { templates: TEMPLATES, pool });
    managers.push(m);
    return m;
  }
  const pooledConfig = () => ({ url: server.bouncer.url(system), migrationUrl: server.cluster.url(system) });
  const databasesLike = async (pattern: string) =>
    (await server.direct<{ datname: string }>('postgres', 'SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname', [pattern])).map((r) => r.datname);

  it('create (from the template), withSolution, migrateAll and drop, with the app traffic through the pooler', async () => {
    const m = manager(pooledConfig());
    const [first, second] = [uniqueSolution('pgba'), uniqueSolution('pgbb')];
    await m.create(first!);
    await m.create(second!); // cloned from the migrated template: PgBouncer holds no connection to it
    for (const name of [first!, second!]) {
      expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
      expect(await server.direct(`djo_${name}_db`, 'SELECT name FROM fbs_migrations')).to.deep.equal([{ name: 'prefs/0001_initial' }]);
      await m.withSolution(name, async () => {
        await m.project.model(Preference).create({ key: 'owner', value: name });
        await m.project.transaction(Partner, () => m.project.model(Partner).create({ name: `partner of ${name}` }));
      });
    }
    for (const name of [first!, second!]) {
      expect(await server.direct(`djo_${name}_db`, 'SELECT value FROM prefs_preference')).to.deep.equal([{ value: name }]);
      expect(await server.direct(`fbs_${name}_db`, 'SELECT name FROM erp_partner')).to.deep.equal([{ name: `partner of ${name}` }]);
    }
    const pools = (await server.bouncer.admin<{ database: string }>('SHOW POOLS')).map((p) => p.database);
    expect(pools).to.include.members([system, `djo_${first}_db`, `fbs_${first}_db`, `djo_${second}_db`]);
    expect(pools.filter((p) => p.includes('template')), 'the template is never reached through the pooler').to.deep.equal([]);
    const report = await m.migrateAll();
    expect(report.failed, JSON.stringify(report)).to.equal(0);
    await m.drop(first!, { confirm: first! }); // PgBouncer's idle server connections to it do not block the drop
    expect(await databasesLike(`%\\_${first}\\_db`)).to.deep.equal([]);
    expect(await m.withSolution(second!, () => m.project.model(Preference).count())).to.equal(1);
  });

  it('without migrationUrl, create is refused before any database is created, naming the fix', async () => {
    const m = manager(server.bouncer.url(system));
    const name = uniqueSolution('pgbno');
    const error = await m.create(name).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message).to.contain('reached through a connection pooler such as PgBouncer');
    expect((error as Error).message).to.contain('Set `migrationUrl` on the system alias');
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([]);
  });

  it('the pool cap holds through the pooler: 12 solutions, 30 workers, at most 4 client connections; max_user_connections bounds the server side', async () => {
    // PgBouncer keeps up to default_pool_size idle server connections per database; max_user_connections bounds them all.
    const bouncer = await startPgBouncer({ server: server.cluster, poolSize: 2, settings: { max_user_connections: 6 } });
    const m = manager({ url: bouncer.url(system), migrationUrl: server.cluster.url(system) }, { maxConnections: 4, perSolution: 2 });
    const tag = `pgbcap${process.pid}x`;
    const names = Array.from({ length: 12 }, () => uniqueSolution(tag));
    for (const name of names) await m.create(name);
    const admin = new Client({ host: '127.0.0.1', port: bouncer.port, user: 'postgres', database: 'pgbouncer' });
    await admin.connect();
    const count = async (command: string) => (await admin.query(command)).rows.filter((r: { database: string }) => r.database.includes(tag)).length;
    const clients = sampleMax(() => count('SHOW CLIENTS'));
    // PgBouncer's own count: a backend it has just closed may still show in pg_stat_activity while it exits.
    const servers = sampleMax(() => count('SHOW SERVERS'), () => admin.end());
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < 300) {
        const name = names[next++ % names.length]!;
        await m
          .withSolution(name, async () => {
            await m.project.model(Preference).create({ key: 'touch', value: name });
            await m.project.model(Partner).count();
          })
          .catch(() => failures++);
      }
    };
    try {
      await Promise.all(Array.from({ length: 30 }, worker));
    } finally {
      await clients.stop();
      await servers.stop();
      await bouncer.stop();
    }
    expect(failures).to.equal(0);
    expect(m.poolStats().maxSeen).to.be.at.most(4).and.at.least(2);
    expect(clients.max(), 'client connections PgBouncer saw for these solutions').to.be.at.most(4).and.at.least(1);
    expect(servers.max(), 'server connections PgBouncer held to these solutions').to.be.at.most(6).and.at.least(1);
    const counts = await Promise.all(names.map((name) => server.direct<{ n: number }>(`djo_${name}_db`, 'SELECT count(*)::int AS n FROM prefs_preference')));
    expect(counts.map((c) => c[0]!.n)).to.deep.equal(names.map(() => 25));
  });
});
