import { inspect } from 'node:util';
import { expect } from 'chai';
import { createProject, DatabaseUnavailableError, type Project } from '@fbs/core';
import { startCluster, type ThrowawayCluster } from '../harness/cluster';
import { createDatabases, testServer } from '../harness/postgres';

const PASSWORD = 'Restart-Secret-5521';

/** What a call rejected with (undefined when it resolved). */
const outcome = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

function expectUnavailable(error: unknown, alias: string): DatabaseUnavailableError {
  expect(error, `a DatabaseUnavailableError, got ${inspect(error)}`).to.be.instanceOf(DatabaseUnavailableError);
  const e = error as DatabaseUnavailableError;
  expect(e.alias).to.equal(alias);
  expect(e.message).to.include(`Database '${alias}'`);
  for (const text of [e.message, String(e.stack), inspect(e, { depth: 10 }), JSON.stringify(e)]) expect(text).to.not.include(PASSWORD);
  return e;
}

describe('reliability: a database server that stops and comes back', function () {
  this.timeout(90_000);
  let cluster: ThrowawayCluster;
  let project: Project;
  before(async () => {
    cluster = await startCluster({ hba: ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all app 127.0.0.1/32 scram-sha-256'] });
    await cluster.query(`CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`);
    await cluster.query('CREATE DATABASE appdb OWNER app');
    const [shared] = await createDatabases(1, 'connrestart');
    project = createProject({
      databases: {
        tenant: `postgres://app:${encodeURIComponent(PASSWORD)}@127.0.0.1:${cluster.port}/appdb`,
        other: (await testServer()).url(shared!),
      },
    });
  });
  after(async () => {
    await project?.close();
    await cluster?.stop();
  });

  beforeEach(() => cluster.start()); // idempotent: a test that failed half-way may have left it halted

  const tenant = () => project.connection('tenant');

  it('fails with DatabaseUnavailableError naming the alias while down, never a raw error, and recovers without a restart', async () => {
    // Fill the pool with idle sessions, and keep one statement in flight while the server stops.
    await Promise.all([1, 2, 3].map(() => tenant().query('SELECT pg_sleep(0.05)')));
    const inFlight = outcome(tenant().query('SELECT pg_sleep(30)'));
    const inTransaction = outcome(project.transaction('tenant', () => tenant().query('SELECT pg_sleep(30)')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.halt();

    expectUnavailable(await inFlight, 'tenant');
    expectUnavailable(await inTransaction, 'tenant');
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) {
      kinds.push(expectUnavailable(await outcome(tenant().query('SELECT 1')), 'tenant').kind);
      kinds.push(expectUnavailable(await outcome(project.transaction('tenant', async () => undefined)), 'tenant').kind);
    }
    expect(kinds.every((k) => k === 'restarting' || k === 'unreachable'), kinds.join(', ')).to.equal(true);

    // The other alias, on the shared server, is unaffected.
    const [row] = (await project.connection('other').query('SELECT 1 AS one', { type: 'SELECT' as any })) as any[];
    expect(row.one).to.equal(1);

    await cluster.start();
    const [back] = (await tenant().query("SELECT current_user AS who", { type: 'SELECT' as any })) as any[];
    expect(back.who, 'the first query after the server is back succeeds').to.equal('app');
    expect(await project.transaction('tenant', async () => 'committed')).to.equal('committed');
  });

  it('a session terminated by the server (57P01) while the server stays up is a DatabaseUnavailableError, and the next query works', async () => {
    const inFlight = outcome(tenant().query('SELECT pg_sleep(30)'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app' AND query LIKE 'SELECT pg_sleep(30)%'");
    const e = expectUnavailable(await inFlight, 'tenant');
    expect(e.kind).to.equal('restarting');
    expect(e.message).to.include('terminating connection due to administrator command');
    const [row] = (await tenant().query('SELECT 2 AS two', { type: 'SELECT' as any })) as any[];
    expect(row.two).to.equal(2);
  });
});
