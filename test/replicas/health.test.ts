import { expect } from 'chai';
import { literal, Op } from 'sequelize';
import type { Project } from '@fbs/core';
import { Note, setupReplicas, waitForStatus, type ReplicaSetup } from './fixtures';

const up = (s: { health: string }[]) => s.length === 2 && s.every((r) => r.health === 'up');

/** Counts the statements each replica's Sequelize runs. */
function countReplicaQueries(project: Project): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const alias of project.connections.replicasOf('default')) {
    counts[alias] = 0;
    project.connections.get(alias).addHook('afterQuery', () => void (counts[alias]! += 1));
  }
  return counts;
}

describe('read replicas: health (a replica stopped mid-load, restarted)', function () {
  this.timeout(120_000);
  let setup: ReplicaSetup;

  before(async function () {
    this.timeout(120_000);
    setup = await setupReplicas('health');
    await setup.primaryRows(`INSERT INTO notes_note (ctx) SELECT 'h' FROM generate_series(1, 3)`);
    await setup.catchUp();
  });
  after(async () => setup?.stop());

  it('no read fails while a replica stops under load; reads return to it once it is back', async () => {
    const project = setup.project({ pool: { max: 10 } });
    await waitForStatus(project, up);
    const counts = countReplicaQueries(project);
    let stop = false;
    const failures: unknown[] = [];
    let reads = 0;
    // 20 contexts reading in a loop; each read sleeps 20 ms on the server, so reads are in flight when the replica stops.
    const slow = { where: { [Op.and]: [{ ctx: 'h' }, literal('pg_sleep(0.02) IS NOT NULL')] } };
    const load = Promise.all(
      Array.from({ length: 20 }, () =>
        project.withContext(async () => {
          while (!stop) {
            try {
              expect(await project.model(Note).findAll(slow)).to.have.length(3);
              reads++;
            } catch (error) {
              failures.push(error);
            }
          }
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const before = counts['default@replica1']!;
    await setup.cluster.replicas[0]!.halt();
    await new Promise((r) => setTimeout(r, 1000));
    const status = await project.replicaStatus();
    const duringStop = reads;
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load;
    expect(failures.map(String)).to.deep.equal([]);
    expect(before).to.be.greaterThan(0);
    expect(reads).to.be.greaterThan(duringStop);
    expect(status[0]).to.include({ alias: 'default@replica1', health: 'down' });
    expect(status[0]!.error).to.match(/unreachable|restarting|refused|terminat/i);
    expect(status[1]).to.include({ alias: 'default@replica2', health: 'up' });

    await setup.cluster.replicas[0]!.start();
    await waitForStatus(project, up, 30_000);
    const afterRestart = counts['default@replica1']!;
    await project.withContext(async () => {
      for (let i = 0; i < 10; i++) await project.model(Note).count({ where: { ctx: 'h' } });
    });
    expect(counts['default@replica1']! - afterRestart).to.be.greaterThan(0);
  });

  it('with every replica down, reads go to the primary without an error', async () => {
    const project = setup.project();
    await waitForStatus(project, up, 30_000);
    await Promise.all(setup.cluster.replicas.map((r) => r.halt()));
    try {
      for (let i = 0; i < 10; i++) expect(await project.withContext(() => project.model(Note).count({ where: { ctx: 'h' } }))).to.equal(3);
      const status = await project.replicaStatus();
      expect(status.map((s) => s.health)).to.deep.equal(['down', 'down']);
      expect(status[0]!.retryAt).to.be.instanceOf(Date);
    } finally {
      await Promise.all(setup.cluster.replicas.map((r) => r.start()));
    }
    await waitForStatus(project, up, 30_000);
  });
});
