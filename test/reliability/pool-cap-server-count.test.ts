import { expect } from 'chai';
import { SolutionManager } from '@fbs/solutions';
import { ONE_KIND, oneKindProject, Preference, uniqueSolution, TEMPLATES } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { createDatabases, testServer } from '../harness/postgres';
import { sampleServerConnections } from './pool-cap-sampler';

describe('reliability: the server never sees more connections than the pool cap', function () {
  this.timeout(120_000);
  let manager: SolutionManager | undefined;
  after(async () => {
    if (manager) await dropAll(manager);
  });

  it('under churn (many solutions round-robin, a cap of 3, idle sweeps), pg_stat_activity never counts more than 3', async () => {
    const [system] = await createDatabases(1, 'capsrv');
    const cap = 3;
    manager = new SolutionManager(oneKindProject((await testServer()).url(system!)), {
      databases: ONE_KIND,
      pool: { maxConnections: cap, perSolution: 2, idleMs: 30, acquireTimeoutMs: 10_000 },
      templates: TEMPLATES,
      // pg gives up on a query after 1.5 s but the backend keeps running it: the connection must
      // still count until that backend has really gone.
      connection: { dialectOptions: { query_timeout: 1_500 } },
    });
    const m = manager;
    const tag = `churn${process.pid}x`;
    const names = Array.from({ length: 24 }, () => uniqueSolution(tag));
    for (const name of names) await m.create(name);
    const sampler = await sampleServerConnections(`djo_${tag}`);
    let next = 0;
    let failures = 0;
    const deadline = Date.now() + 8_000;
    const worker = async (index: number) => {
      while (Date.now() < deadline) {
        const name = names[next++ % names.length]!;
        const work = index % 3 === 0
          ? m.withSolution(name, () => m.project.transaction(Preference, () => m.project.model(Preference).create({ key: 'tx', value: name })))
          : m.withSolution(name, () => Promise.all([m.project.model(Preference).create({ key: 'touch', value: name }), m.project.model(Preference).count()]));
        await work.catch(() => failures++);
        if (index % 4 === 0) m.cap.sweep();
      }
    };
    const sleeper = async () => {
      for (const name of names.slice(0, 2)) {
        const error = await m.withSolution(name, () => m.project.connection(`djo_${name}_db`).query('SELECT pg_sleep(4)')).catch((e: Error) => e);
        expect(String(error)).to.contain('Query read timeout');
      }
    };
    try {
      await Promise.all([sleeper(), ...Array.from({ length: 10 }, (_, i) => worker(i))]);
    } finally {
      await sampler.stop();
    }
    expect(failures, 'failed calls').to.equal(0);
    expect(m.poolStats().evictions, 'pools closed under churn').to.be.greaterThan(50);
    expect(sampler.samples(), 'samples taken').to.be.greaterThan(200);
    expect(sampler.max(), 'backends seen on the server at once').to.be.at.most(cap);
    expect(m.poolStats().maxSeen).to.be.at.most(cap);
  });
});
