import { expect } from 'chai';
import { SolutionMoveError, type SolutionManager } from '@fbs/solutions';
import { Partner, Preference } from '../solutions/fixtures/apps';
import { closeManager, serversManager, solutionDatabasesOn, startServers, type ServerSet } from './fixtures/servers';
import { startWriteLoad } from './fixtures/write-load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('servers: moving a solution to another server', function () {
  this.timeout(300_000);
  let set: ServerSet;
  let manager: SolutionManager;
  /** Another "process": a manager of its own (its own freeze, pools and catalogue cache). */
  let other: SolutionManager;
  before(async () => {
    set = await startServers(2);
    manager = serversManager(set);
    other = serversManager(set);
    await manager.create('mv', { server: 'pg1' });
    await manager.create('stay', { server: 'pg1' });
    await manager.withSolution('mv', async () => {
      await manager.project.model(Preference).bulkCreate(Array.from({ length: 2000 }, (_, i) => ({ key: `seed-${i}`, value: 'mv' })));
      await manager.project.model(Partner).bulkCreate(Array.from({ length: 500 }, (_, i) => ({ name: `p${i}` })));
    });
  });
  after(async () => {
    for (const m of [other, manager]) if (m) await closeManager(m);
    await set?.stop();
  });

  const keysOn = async (server: string, database: string) =>
    new Set((await set.clusters[server]!.query<{ key: string }>('SELECT key FROM prefs_preference', [], database)).map((r) => r.key));

  it('refuses clearly when pg_dump is missing, and when the target is unknown; nothing changes', async () => {
    const missing = await manager.move('mv', { to: 'pg2', tools: { binDir: '/nonexistent/bin' } }).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(SolutionMoveError);
    expect((missing as Error).message).to.contain('pg_dump and pg_restore were not found').and.contain('/nonexistent/bin').and.contain('Nothing was changed');
    const unknown = await manager.move('mv', { to: 'pg7' }).catch((e: unknown) => e);
    expect((unknown as Error).message).to.contain('Unknown server "pg7"');
    expect((await manager.info('mv'))!.servers).to.deep.equal({ djo: 'pg1', fbs: 'pg1' });
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal([]);
  });

  it('a verification mismatch reverts the move: the target copy is dropped, the source is writable and still serves', async () => {
    const error = await manager
      .move('mv', {
        to: 'pg2',
        // Something writes into the copy behind the move's back: the checksums differ.
        onStep: async (step) => {
          if (step === 'verify') await set.clusters.pg2!.query("INSERT INTO erp_partner (name) VALUES ('intruder')", [], 'fbs_mv_db');
        },
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SolutionMoveError);
    expect((error as Error).message).to.contain('Verification of fbs_mv_db failed').and.contain('erp_partner has 500 rows on the source, 501 on the target');
    const info = (await manager.info('mv'))!;
    expect(info.servers).to.deep.equal({ djo: 'pg1', fbs: 'pg1' });
    expect(info.move).to.equal(undefined);
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal([]);
    await manager.withSolution('mv', () => manager.project.model(Preference).create({ key: 'after-revert', value: 'mv' }));
    await other.withSolution('mv', () => other.project.model(Preference).create({ key: 'after-revert-other', value: 'mv' }));
    expect(await keysOn('pg1', 'djo_mv_db')).to.include('after-revert').and.include('after-revert-other');
  });

  it('moves under a concurrent write load of that solution (two processes) and of another: 0 rows lost, 0 in the wrong place, checksums equal', async () => {
    const loads = [startWriteLoad(manager, 'mv', 'a'), startWriteLoad(other, 'mv', 'b'), startWriteLoad(manager, 'stay', 's')];
    await sleep(1_500);
    const steps: string[] = [];
    const report = await manager.move('mv', { to: 'pg2', onStep: (s) => void steps.push(s) });
    await sleep(1_500);
    for (const load of loads) await load.stop();
    for (const load of loads) expect(load.errors.map((e) => e.message)).to.deep.equal([]);
    expect(steps).to.deep.equal(['journal', 'prepare', 'freeze', 'copy', 'verify', 'switch', 'cleanup']);
    expect(report.outcome).to.equal('moved');
    expect(report.tables).to.be.at.least(4);
    expect(report.rows).to.be.at.least(2500);
    expect(report.frozenMs).to.be.above(0).and.below(report.totalMs);
    const [a, b, s] = loads;
    expect(a!.acked.length).to.be.above(10);
    expect(b!.acked.length).to.be.above(10);
    // Every acknowledged write of mv is on pg2; mv's databases are gone from pg1; stay's writes are all on pg1.
    const moved = await keysOn('pg2', 'djo_mv_db');
    const lost = [...a!.acked, ...b!.acked].filter((k) => !moved.has(k));
    expect(lost).to.deep.equal([]);
    expect(moved.has('seed-1999')).to.equal(true);
    expect([...moved].filter((k) => k.startsWith('s-'))).to.deep.equal([]);
    expect(await solutionDatabasesOn(set.clusters.pg1!)).to.deep.equal(['djo_stay_db', 'fbs_stay_db']);
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal(['djo_mv_db', 'fbs_mv_db']);
    const stayed = await keysOn('pg1', 'djo_stay_db');
    expect(s!.acked.filter((k) => !stayed.has(k))).to.deep.equal([]);
    expect([...stayed].filter((k) => !k.startsWith('s-'))).to.deep.equal([]);
    // Writes after the move (both "processes") land on pg2; the catalogue says pg2 with no journal left.
    const info = (await manager.info('mv'))!;
    expect(info.servers).to.deep.equal({ djo: 'pg2', fbs: 'pg2' });
    expect(info.move).to.equal(undefined);
    expect(a!.acked.some((k) => !moved.has(k))).to.equal(false);
    expect(b!.retries + a!.retries).to.be.above(0);
    // Moving it again to where it is: nothing to do.
    expect((await manager.move('mv', { to: 'pg2' })).outcome).to.equal('already-there');
  });
});
