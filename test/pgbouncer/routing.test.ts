import { expect } from 'chai';
import { Client } from 'pg';
import { QueryTypes } from 'sequelize';
import { createProject, type DatabaseRouter, type Project } from '@fbs/core';
import { allApps, Customer, Invoice } from '../fixtures/models';
import { pooledSuite, startPooledServer, type PooledServer } from './fixtures';

/** billing lives on `other`, everything else on `default`. */
const router: DatabaseRouter = {
  dbForRead: (model) => (model.appLabel === 'billing' ? 'other' : null),
  dbForWrite: (model) => (model.appLabel === 'billing' ? 'other' : null),
};

describe(pooledSuite('pgbouncer: routed queries and transactions in transaction pooling mode'), function () {
  this.timeout(120_000);
  let server: PooledServer;
  let project: Project;
  const main = 'pgb_main';
  const other = 'pgb_other';

  before(async function () {
    // Two server connections per database: far fewer than the SDK's client connections.
    server = await startPooledServer(this, { poolSize: 2 });
    await server.createDatabase(main);
    await server.createDatabase(other);
    const bootstrap = createProject({ databases: { default: server.cluster.url(main), other: server.cluster.url(other) }, apps: allApps });
    await bootstrap.connection('default').sync();
    await bootstrap.connection('other').sync();
    await bootstrap.close();
    const pool = { max: 20, acquire: 30_000 };
    project = createProject({
      databases: { default: { url: server.bouncer.url(main), pool }, other: { url: server.bouncer.url(other), pool } },
      routers: [router],
      apps: allApps,
    });
  });
  after(async () => {
    await project?.close();
    await server?.stop();
  });

  it('routes reads and writes through the pooler to the database the router chose', async () => {
    const customer = await project.model(Customer).create({ name: 'pooled' });
    const invoice = await project.model(Invoice).create({ number: 'INV-1', amount: 120 });
    expect(project.dbOf(customer)).to.equal('default');
    expect(project.dbOf(invoice)).to.equal('other');
    expect(await server.direct(main, 'SELECT name FROM shop_customer')).to.deep.equal([{ name: 'pooled' }]);
    expect(await server.direct(other, 'SELECT number FROM billing_invoice')).to.deep.equal([{ number: 'INV-1' }]);
    expect(await server.direct(main, "SELECT to_regclass('billing_invoice') IS NOT NULL AS t")).to.deep.equal([{ t: true }]); // synced, but empty:
    expect(await server.direct(main, 'SELECT count(*)::int AS n FROM billing_invoice')).to.deep.equal([{ n: 0 }]);
    expect((await project.model(Invoice).findByPk(invoice.id))?.number).to.equal('INV-1');
    // The SDK's connections really are PgBouncer's: the pooler lists client connections for both databases.
    const pools = await server.bouncer.admin<{ database: string; cl_active: number; cl_waiting: number }>('SHOW POOLS');
    expect(pools.map((p) => p.database)).to.include.members([main, other]);
    const [{ pid }] = (await project.connection('default').query<{ pid: number }>('SELECT pg_backend_pid() AS pid', { type: QueryTypes.SELECT })) as [{ pid: number }];
    const backends = await server.direct<{ pid: number }>(main, "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [main]);
    expect(backends.map((b) => b.pid)).to.include(pid);
  });

  it('nested transactions roll back to their savepoint and commit the outer work', async () => {
    await project.transaction('default', async () => {
      await project.model(Customer).create({ name: 'outer' });
      await expect(
        project.transaction('default', async () => {
          await project.model(Customer).create({ name: 'inner' });
          throw new Error('inner fails');
        }),
      ).to.be.rejectedWith('inner fails');
      await project.transaction('default', () => project.model(Customer).create({ name: 'inner-kept' }));
      expect(await project.model(Customer).count({ where: { name: 'inner' } })).to.equal(0);
    });
    expect(await server.direct(main, "SELECT name FROM shop_customer WHERE name IN ('outer', 'inner', 'inner-kept') ORDER BY name")).to.deep.equal([
      { name: 'inner-kept' },
      { name: 'outer' },
    ]);
  });

  it('60 concurrent transactions from 60 contexts over 2 server connections: no cross-talk', async () => {
    const before = await server.direct<{ n: number }>(main, 'SELECT count(*)::int AS n FROM shop_customer');
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        project
          .transaction('default', async () => {
            const sequelize = project.connection('default');
            const tag = `ctx-${i}`;
            // Transaction-local state: seen again at the end only if every statement ran on the same server session.
            const [start] = await sequelize.query<{ pid: number; xid: string }>(
              "SELECT pg_backend_pid() AS pid, txid_current()::text AS xid, set_config('fbs.tag', $1, true) AS tag",
              { bind: [tag], type: QueryTypes.SELECT },
            );
            await project.model(Customer).create({ name: tag });
            await new Promise((r) => setTimeout(r, 5 + (i % 7) * 3));
            const mine = await project.model(Customer).count({ where: { name: tag } });
            const visible = await project.model(Customer).count({ where: { name: Array.from({ length: 60 }, (_, j) => `ctx-${j}`).filter((n) => n !== tag) } });
            const [end] = await sequelize.query<{ pid: number; xid: string; tag: string }>(
              "SELECT pg_backend_pid() AS pid, txid_current()::text AS xid, current_setting('fbs.tag', true) AS tag",
              { type: QueryTypes.SELECT },
            );
            expect(end).to.deep.equal({ ...start, tag }, `context ${i} changed server session mid-transaction`);
            expect(mine).to.equal(1);
            // Only committed rows of others are visible (read committed), never another context's uncommitted one.
            const committedOthers = await server.direct<{ n: number }>(main, "SELECT count(*)::int AS n FROM shop_customer WHERE name LIKE 'ctx-%' AND name <> $1", [tag]);
            expect(visible).to.be.at.most(committedOthers[0]!.n);
            if (i % 3 === 0) throw new Error(`roll back ${i}`);
            return start!.pid;
          })
          .then((pid) => ({ i, pid }), (error: Error) => ({ i, error })),
      ),
    );
    const failures = outcomes.filter((o) => 'error' in o && !/^roll back \d+$/.test(o.error.message));
    expect(failures, JSON.stringify(failures.map((f) => 'error' in f && f.error.message))).to.deep.equal([]);
    const rows = await server.direct<{ name: string }>(main, "SELECT name FROM shop_customer WHERE name LIKE 'ctx-%' ORDER BY name");
    const expected = Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `ctx-${i}`).sort();
    expect(rows.map((r) => r.name)).to.deep.equal(expected);
    expect((await server.direct<{ n: number }>(main, 'SELECT count(*)::int AS n FROM shop_customer'))[0]!.n).to.equal(before[0]!.n + expected.length);
    // 20 client connections shared 2 server connections.
    const pids = new Set(outcomes.flatMap((o) => ('pid' in o ? [o.pid] : [])));
    expect(pids.size).to.be.at.most(2);
    expect(await server.serverConnections(main)).to.be.at.most(2);
  });
});
