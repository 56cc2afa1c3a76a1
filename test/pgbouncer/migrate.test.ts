import { expect } from 'chai';
import { Client } from 'pg';
import { startPgBouncer, type ThrowawayPgBouncer } from '../harness/pgbouncer';
import { ensureBuilt, runInProcess, startBin } from '../migrate/cli-harness';
import { pooledSuite, startPooledServer, type PooledServer } from './fixtures';

const LICENSING = ['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_slow', 'fbs_license_manager/0003_after'];

describe(pooledSuite('pgbouncer: the migrator behind a transaction pooler'), function () {
  this.timeout(180_000);
  let server: PooledServer;
  let session: ThrowawayPgBouncer;
  let counter = 0;

  before(async function () {
    this.timeout(300_000);
    server = await startPooledServer(this, { poolSize: 3 });
    session = await startPgBouncer({ server: server.cluster, poolMode: 'session', poolSize: 3 });
    ensureBuilt();
  });
  after(async () => {
    await session?.stop();
    await server?.stop();
  });

  /** Fresh databases for the CLI fixture's aliases, configured by `configure(database)`. */
  async function databases(configure: (database: string) => unknown): Promise<{ names: Record<string, string>; env: string }> {
    const names: Record<string, string> = {};
    for (const alias of ['default', 'licensing']) names[alias] = await server.createDatabase(`pgb_mig_${alias}_${++counter}`);
    return { names, env: JSON.stringify(Object.fromEntries(Object.entries(names).map(([alias, db]) => [alias, configure(db)]))) };
  }
  const history = async (db: string) => (await server.direct<{ name: string }>(db, 'SELECT name FROM fbs_migrations ORDER BY name')).map((r) => r.name);
  const exists = async (db: string, table: string) => (await server.direct<{ t: boolean }>(db, 'SELECT to_regclass($1) IS NOT NULL AS t', [table]))[0]!.t;

  it('four fbs-migrate processes with a direct migrationUrl apply each migration exactly once', async () => {
    const { names, env } = await databases((db) => ({ url: server.bouncer.url(db), migrationUrl: server.cluster.url(db) }));
    const children = Array.from({ length: 4 }, () => startBin(['up', '--all', '--json'], { FBS_TEST_DATABASES: env, FBS_TEST_SLOW_MS: '400' }));
    const results = await Promise.all(children.map((c) => c.result));
    for (const r of results) expect(r.code, r.stderr).to.equal(0);
    const applied = results.flatMap((r) => JSON.parse(r.stdout).databases.flatMap((d: { applied: string[] }) => d.applied)).sort();
    expect(applied).to.deep.equal(['fbs_app/0001_initial', 'fbs_app/0002_fail_when_asked', ...LICENSING]);
    const runs = await server.direct<{ name: string; n: number }>(names.licensing!, 'SELECT name, count(*)::int AS n FROM migration_runs GROUP BY name ORDER BY name');
    expect(runs).to.deep.equal(LICENSING.map((name) => ({ name, n: 1 })));
    expect(await history(names.licensing!)).to.deep.equal(LICENSING);
    const status = await runInProcess(['status', '--json'], { FBS_TEST_DATABASES: env });
    expect(status.code, status.stderr).to.equal(0);
  });

  it('without migrationUrl it refuses before anything runs, naming the alias and the fix', async () => {
    const { names, env } = await databases((db) => server.bouncer.url(db));
    const result = await runInProcess(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/Database 'licensing' \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/pgb_mig_licensing_\d+\) is reached through a connection pooler such as PgBouncer/);
    expect(result.stderr).to.contain("Set `migrationUrl` on database 'licensing' to a direct URL");
    expect(result.stderr).to.contain('docs/pgbouncer.md');
    expect(await exists(names.licensing!, 'fbs_migrations')).to.equal(false);
    expect(await exists(names.licensing!, 'migration_runs')).to.equal(false);
  });

  it('a session-mode pool is refused as url too (the protocol does not tell the modes apart), and accepted as migrationUrl', async () => {
    const refused = await databases((db) => session.url(db));
    const result = await runInProcess(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: refused.env });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('is reached through a connection pooler');
    const { names, env } = await databases((db) => ({ url: server.bouncer.url(db), migrationUrl: session.url(db) }));
    const ok = await runInProcess(['up', '--database', 'licensing'], { FBS_TEST_DATABASES: env, FBS_TEST_SLOW_MS: '10' });
    expect(ok.code, ok.stderr).to.equal(0);
    expect(await history(names.licensing!)).to.deep.equal(LICENSING);
  });

  it('why: under transaction pooling a session advisory lock excludes nobody; under session pooling it does', async () => {
    const db = await server.createDatabase(`pgb_lock_${++counter}`);
    const tryLock = async (url: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      return { client, got: (await client.query('SELECT pg_try_advisory_lock(42) AS ok')).rows[0].ok as boolean };
    };
    // One server connection for this pair in the transaction pool: both clients get "the" lock.
    const pooled = await startPgBouncer({ server: server.cluster, poolSize: 1 });
    try {
      const a = await tryLock(pooled.url(db));
      const b = await tryLock(pooled.url(db));
      expect([a.got, b.got]).to.deep.equal([true, true]);
      await a.client.end();
      await b.client.end();
      // …and the lock outlives both clients, held by an idle server connection nobody owns.
      const held = await server.direct<{ n: number }>(db, "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 42");
      expect(held[0]!.n).to.equal(1);
    } finally {
      await pooled.stop();
    }
    const c = await tryLock(session.url(db));
    const d = await tryLock(session.url(db));
    expect([c.got, d.got]).to.deep.equal([true, false]);
    await c.client.end();
    await d.client.end();
  });
});
