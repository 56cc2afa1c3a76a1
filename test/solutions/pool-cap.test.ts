import { expect } from 'chai';
import { Client } from 'pg';
import { DatabaseUnavailableError } from '@fbs/core';
import { SolutionManager } from '@fbs/solutions';
import { ONE_KIND, oneKindProject, Preference, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { adminQuery, createDatabases, testServer } from '../harness/postgres';

const PASSWORD = 'S3cret-pw-7781';

/** Samples, on the server, the connections open to databases whose names start with `prefix`. */
async function sampleConnections(prefix: string): Promise<{ max: () => number; stop: () => Promise<void> }> {
  const server = await testServer();
  const client = new Client({ connectionString: server.url('postgres') });
  await client.connect();
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1', [`${prefix}%`]);
      max = Math.max(max, rows[0].n);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return { max: () => max, stop: async () => { running = false; await loop; await client.end(); } };
}

describe('solutions: pool cap', function () {
  this.timeout(300_000);
  let system: string;
  const managers: SolutionManager[] = [];
  before(async () => {
    system = (await createDatabases(1, 'solcap'))[0]!;
  });
  after(async () => {
    for (const m of managers) await dropAll(m);
  });

  async function manager(pool: object, url?: string): Promise<SolutionManager> {
    const server = await testServer();
    const m = new SolutionManager(oneKindProject(url ?? server.url(system)), { databases: ONE_KIND, pool, templates: TEMPLATES });
    managers.push(m);
    return m;
  }

  it('holds the cap with 200 solutions used round-robin by concurrent work', async () => {
    const m = await manager({ maxConnections: 10, perSolution: 2 });
    const tag = `cap${process.pid}x`;
    const names = Array.from({ length: 200 }, () => uniqueSolution(tag));
    for (const name of names) await m.create(name);
    const sampler = await sampleConnections(`djo_${tag}`);
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < 2000) {
        const name = names[next++ % names.length]!;
        await m
          .withSolution(name, () => m.project.model(Preference).create({ key: 'touch', value: name }))
          .catch(() => failures++);
      }
    };
    try {
      await Promise.all(Array.from({ length: 40 }, worker));
    } finally {
      await sampler.stop();
    }
    expect(failures).to.equal(0);
    const stats = m.poolStats();
    expect(stats.maxSeen).to.be.at.most(10).and.at.least(2);
    expect(stats.evictions).to.be.greaterThan(100);
    expect(sampler.max(), 'connections seen on the server').to.be.at.most(10);
    for (const name of [names[0]!, names[99]!, names[199]!]) {
      const rows = await m.withSolution(name, () => m.project.model(Preference).count());
      expect(rows).to.equal(10);
    }
  });

  it('eviction never breaks a query or transaction in flight', async () => {
    const m = await manager({ maxConnections: 4, perSolution: 2, idleMs: 50 });
    const [slow, ...others] = Array.from({ length: 12 }, () => uniqueSolution('evict'));
    for (const name of [slow!, ...others]) await m.create(name);
    const { project } = m;
    const transaction = m.withSolution(slow!, () =>
      project.transaction(Preference, async () => {
        await project.model(Preference).create({ key: 'before', value: 'x' });
        await project.connection(`djo_${slow}_db`).query('SELECT pg_sleep(0.8)');
        await project.model(Preference).create({ key: 'after', value: 'x' });
      }),
    );
    const evictionsBefore = m.poolStats().evictions;
    for (let round = 0; round < 5; round++) {
      await Promise.all(others.map((name) => m.withSolution(name, () => project.model(Preference).count())));
      m.cap.sweep();
    }
    await transaction;
    expect(m.poolStats().evictions - evictionsBefore).to.be.greaterThan(10);
    const keys = await m.withSolution(slow!, () => project.model(Preference).findAll({ order: [['key', 'ASC']] }));
    expect(keys.map((p) => p.key)).to.deep.equal(['after', 'before']);
    expect(m.poolStats().maxSeen).to.be.at.most(4);
  });

  it('closes pools left idle, and reopens them transparently on next use', async () => {
    const m = await manager({ maxConnections: 4, idleMs: 100 });
    const name = uniqueSolution('idle');
    await m.create(name);
    await m.withSolution(name, () => m.project.model(Preference).create({ key: 'a', value: 'b' }));
    expect(m.project.connections.isOpen(`djo_${name}_db`)).to.equal(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(m.project.connections.isOpen(`djo_${name}_db`)).to.equal(false);
    expect(m.poolStats().open).to.equal(0);
    expect(await m.withSolution(name, () => m.project.model(Preference).count())).to.equal(1);
  });

  it('a solution database dropped behind our back fails fast naming its alias, never the password, while others keep working', async () => {
    const server = await testServer();
    const url = server.url(system).replace(`${server.user}@`, `${server.user}:${PASSWORD}@`);
    const m = await manager({ maxConnections: 6 }, url);
    const [gone, ...alive] = [uniqueSolution('gone'), uniqueSolution('alive'), uniqueSolution('alive')];
    for (const name of [gone!, ...alive]) await m.create(name);
    for (const name of [gone!, ...alive]) await m.withSolution(name, () => m.project.model(Preference).count());
    await adminQuery(`DROP DATABASE "djo_${gone}_db" WITH (FORCE)`);

    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now();
      const [error, ...counts] = await Promise.all([
        m.withSolution(gone!, () => m.project.model(Preference).count()).then(() => undefined, (e: unknown) => e),
        ...alive.map((name) => m.withSolution(name, () => m.project.model(Preference).create({ key: 'k', value: name }))),
      ]);
      expect(Date.now() - started).to.be.below(3_000);
      expect(error).to.be.instanceOf(DatabaseUnavailableError);
      expect((error as DatabaseUnavailableError).alias).to.equal(`djo_${gone}_db`);
      expect((error as Error).message).to.contain(`'djo_${gone}_db'`).and.not.contain(PASSWORD);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.to.contain(PASSWORD);
      expect(counts).to.have.length(2);
    }
    for (const name of alive) expect(await m.withSolution(name, () => m.project.model(Preference).count())).to.equal(2);
  });

  it('a solution database that stops accepting connections fails fast naming its alias while others keep working', async () => {
    const m = await manager({ maxConnections: 6 });
    const [stopped, alive] = [uniqueSolution('stop'), uniqueSolution('alive')];
    for (const name of [stopped!, alive!]) await m.create(name);
    await m.withSolution(stopped!, () => m.project.model(Preference).count());
    await adminQuery(`ALTER DATABASE "djo_${stopped}_db" ALLOW_CONNECTIONS false`);
    await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [`djo_${stopped}_db`]);
    try {
      const started = Date.now();
      const [error, row] = await Promise.all([
        m.withSolution(stopped!, () => m.project.model(Preference).count()).then(() => undefined, (e: unknown) => e),
        m.withSolution(alive!, () => m.project.model(Preference).create({ key: 'k', value: 'v' })),
      ]);
      expect(Date.now() - started).to.be.below(3_000);
      expect(error).to.be.instanceOf(DatabaseUnavailableError);
      expect((error as Error).message).to.contain(`'djo_${stopped}_db'`).and.contain('not currently accepting connections');
      expect(row.key).to.equal('k');
    } finally {
      await adminQuery(`ALTER DATABASE "djo_${stopped}_db" ALLOW_CONNECTIONS true`);
    }
    expect(await m.withSolution(stopped!, () => m.project.model(Preference).count())).to.equal(0);
  });
});
