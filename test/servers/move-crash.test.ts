import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { MOVE_STEPS, type SolutionManager } from '@fbs/solutions';
import { Preference } from '../solutions/fixtures/apps';
import { closeManager, serversManager, solutionDatabasesOn, startServers, type ServerSet } from './fixtures/servers';

const CHILD = path.join(__dirname, 'fixtures', 'move-and-die.ts');
const SEED = 3000;

describe('servers: a move SIGKILLed at any step leaves the solution in one place; rerunning converges', function () {
  this.timeout(600_000);
  let set: ServerSet;
  let manager: SolutionManager;
  before(async () => {
    set = await startServers(2);
    manager = serversManager(set);
    await manager.create('crash', { server: 'pg1' });
    await manager.withSolution('crash', () => manager.project.model(Preference).bulkCreate(Array.from({ length: SEED }, (_, i) => ({ key: `k${i}`, value: 'v' }))));
  });
  after(async () => {
    if (manager) await closeManager(manager);
    await set?.stop();
  });

  function moveAndDie(to: string, step: string, when: 'at' | 'midway'): void {
    const child = spawnSync(process.execPath, ['--conditions=fbs-source', '-r', 'ts-node/register', CHILD, set.systemUrl, JSON.stringify(set.urls), 'crash', to, step, when], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(child.signal, `${child.status} ${child.stderr}`).to.equal('SIGKILL');
  }

  /** Where the catalogue says the solution is; its databases exist there with every row (read over a direct connection). */
  async function servedFrom(): Promise<string> {
    const fresh = serversManager(set);
    try {
      const info = (await fresh.info('crash'))!;
      const server = info.servers.djo!;
      expect(info.servers.fbs).to.equal(server);
      const [{ n }] = await set.clusters[server]!.query('SELECT count(*)::int AS n FROM prefs_preference', [], 'djo_crash_db');
      expect(n).to.be.at.least(SEED);
      expect(await fresh.withSolution('crash', () => fresh.project.model(Preference).count())).to.equal(n);
      return server;
    } finally {
      await closeManager(fresh);
    }
  }

  const where = async () => (await manager.info('crash'))!.servers.djo!;
  const cases = [['copy', 'midway'] as const, ['cleanup', 'midway'] as const, ...MOVE_STEPS.map((step) => [step, 'at'] as const)];
  for (const [step, when] of cases) {
    it(`killed ${when === 'at' ? 'at the start of' : 'midway through'} '${step}': served from one place, the rerun converges`, async () => {
      const from = await where();
      const to = from === 'pg1' ? 'pg2' : 'pg1';
      moveAndDie(to, step, when);
      const switched = MOVE_STEPS.indexOf(step) > MOVE_STEPS.indexOf('switch');
      const server = await servedFrom();
      expect(server).to.equal(switched ? to : from);
      const journal = (await manager.info('crash'))!.move;
      if (step === 'journal' && when === 'at') expect(journal).to.equal(undefined);
      else expect(journal?.to).to.deep.equal({ djo: to, fbs: to });
      // Rerunning the command (here through the API of another manager) finishes or reverts, then moves.
      const report = await manager.move('crash', { to });
      expect(report.outcome).to.equal(switched ? 'finished' : 'moved');
      if (!switched && journal) expect(report.reverted).to.equal(journal.step);
      expect(await servedFrom()).to.equal(to);
      expect((await manager.info('crash'))!.move).to.equal(undefined);
      expect(await solutionDatabasesOn(set.clusters[from]!)).to.deep.equal([]);
      expect(await solutionDatabasesOn(set.clusters[to]!)).to.deep.equal(['djo_crash_db', 'fbs_crash_db']);
      // Writable where it is now.
      await manager.withSolution('crash', () => manager.project.model(Preference).create({ key: `after-${step}-${when}`, value: 'v' }));
    });
  }

  it('a move interrupted before its switch can also be reverted by moving it back where it is', async () => {
    const at = await where();
    const to = at === 'pg1' ? 'pg2' : 'pg1';
    moveAndDie(to, 'verify', 'at');
    const report = await manager.move('crash', { to: at });
    expect(report.outcome).to.equal('already-there');
    expect(report.reverted).to.equal('copy');
    expect(await servedFrom()).to.equal(at);
    expect(await solutionDatabasesOn(set.clusters[to]!)).to.deep.equal([]);
    await manager.withSolution('crash', () => manager.project.model(Preference).create({ key: 'after-revert', value: 'v' }));
  });
});
