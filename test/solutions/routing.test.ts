import { expect } from 'chai';
import { SolutionManager } from '@fbs/solutions';
import { Partner, Preference, solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('solutions: withSolution routing under load', function () {
  this.timeout(300_000);
  let manager: SolutionManager;
  const names: string[] = [];

  before(async () => {
    const [system] = await createDatabases(1, 'solroute');
    manager = new SolutionManager(solutionProject((await testServer()).url(system!)), { pool: { maxConnections: 30 }, templates: TEMPLATES });
    for (let i = 0; i < 50; i++) names.push(uniqueSolution('r'));
    for (const name of names) await manager.create(name);
  });
  after(() => dropAll(manager));

  it('10,000 interleaved async operations across 50 solutions leave every row in its own solution database', async () => {
    const { project } = manager;
    const sent = new Map(names.map((n) => [n, { prefs: 0, partners: 0 }]));
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        const op = next++;
        const name = names[(op * 7919) % names.length]!;
        const counts = sent.get(name)!;
        await manager.withSolution(name, async () => {
          await tick();
          if (op % 3 === 0) {
            // A nested scope for another solution must not leak out of its callback.
            const other = names[(op + 1) % names.length]!;
            await manager.withSolution(other, async () => {
              await tick();
              await project.model(Partner).create({ name: other });
            });
            sent.get(other)!.partners++;
          }
          await tick();
          expect(project.hints().solution).to.equal(name);
          if (op % 2 === 0) {
            await project.model(Preference).create({ key: String(op), value: name });
            counts.prefs++;
          } else {
            await project.transaction(Partner, async () => {
              await tick();
              await project.model(Partner).create({ name });
            });
            counts.partners++;
          }
        });
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    expect(manager.poolStats().maxSeen).to.be.at.most(30);

    let total = 0;
    for (const name of names) {
      const prefs = await queryDatabase(`djo_${name}_db`, 'SELECT value, count(*)::int AS n FROM prefs_preference GROUP BY value');
      const partners = await queryDatabase(`fbs_${name}_db`, 'SELECT name, count(*)::int AS n FROM erp_partner GROUP BY name');
      const expected = sent.get(name)!;
      expect(prefs, name).to.deep.equal(expected.prefs ? [{ value: name, n: expected.prefs }] : []);
      expect(partners, name).to.deep.equal(expected.partners ? [{ name, n: expected.partners }] : []);
      total += expected.prefs + expected.partners;
    }
    expect(total).to.be.at.least(10_000);
  });
});
