import { expect } from 'chai';
import { Note, setupReplicas, waitForStatus, type ReplicaSetup } from './fixtures';

describe('read replicas: 10,000 interleaved requests over 20 contexts, replay paused and resumed', function () {
  this.timeout(300_000);
  let setup: ReplicaSetup;

  before(async function () {
    this.timeout(120_000);
    setup = await setupReplicas('load');
  });
  after(async () => setup?.stop());

  it('no read misses its own context’s writes, and replicas serve a share of the reads', async () => {
    const project = setup.project({ pool: { max: 10 } });
    await waitForStatus(project, (s) => s.every((r) => r.health === 'up'));
    let replicaReads = 0;
    for (const alias of project.connections.replicasOf('default')) {
      project.connections.get(alias).addHook('afterQuery', (options: any) => void (options.type === 'SELECT' && !options.useMaster ? replicaReads++ : 0));
    }
    const TOTAL = 10_000;
    const CONTEXTS = 20;
    let done = 0;
    let reads = 0;
    const misses: string[] = [];
    const replicas = setup.cluster.replicas;
    // Replay is paused for the middle third of the run, then resumed.
    const phases = (async () => {
      while (done < TOTAL / 3) await new Promise((r) => setTimeout(r, 5));
      await Promise.all(replicas.map((r) => r.pause()));
      while (done < (2 * TOTAL) / 3) await new Promise((r) => setTimeout(r, 5));
      await Promise.all(replicas.map((r) => r.resume()));
    })();
    await Promise.all(
      Array.from({ length: CONTEXTS }, (_, c) =>
        project.withContext(async () => {
          const ctx = `load${c}`;
          let written = 0;
          for (let i = 0; i < TOTAL / CONTEXTS; i++) {
            if (i % 5 === 0) {
              await project.model(Note).create({ ctx, n: i });
              written++;
            } else {
              const seen = await project.model(Note).count({ where: { ctx } });
              reads++;
              if (seen !== written) misses.push(`${ctx} read ${seen} of its ${written} rows at step ${i}`);
            }
            done++;
          }
        }),
      ),
    );
    await phases;
    expect(done).to.equal(TOTAL);
    expect(misses).to.deep.equal([]);
    expect(reads).to.equal(8_000);
    // Not a test that passes by always reading the primary.
    expect(replicaReads, `${replicaReads} of ${reads} reads on replicas`).to.be.greaterThan(reads / 20);
    const [{ n }] = await setup.primaryRows(`SELECT count(*)::int AS n FROM notes_note WHERE ctx LIKE 'load%'`);
    expect(n).to.equal(2_000);
  });
});
