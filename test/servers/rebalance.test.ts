import { expect } from 'chai';
import { memoryIo } from '@fbs/migrate/cli';
import { runSolutionsCli, type SolutionManager } from '@fbs/solutions';
import { closeManager, serversManager, solutionDatabasesOn, startServers, type ServerSet } from './fixtures/servers';

describe('servers: rebalance and the servers/move commands', function () {
  this.timeout(300_000);
  let set: ServerSet;
  let manager: SolutionManager;
  const cli = async (...argv: string[]) => {
    const io = memoryIo();
    const code = await runSolutionsCli(argv, io, { load: async () => ({ manager, close: async () => undefined }) });
    return { code, ...io.output() };
  };
  before(async () => {
    set = await startServers(3);
    manager = serversManager(set);
    for (const name of ['ra', 'rb', 'rc', 'rd', 're']) await manager.create(name, { server: 'pg1' });
  });
  after(async () => {
    if (manager) await closeManager(manager);
    await set?.stop();
  });

  it('rebalance --dry-run proposes moves that even out solutions per server, and moves nothing', async () => {
    const { code, stdout } = await cli('rebalance', '--dry-run');
    expect(code).to.equal(0);
    expect(stdout).to.contain('Solutions per server now pg1: 5, pg2: 0, pg3: 0; after these moves pg1: 2, pg2: 2, pg3: 1.');
    expect(stdout).to.contain('Dry run: nothing was moved.');
    const plan = await manager.servers.rebalance();
    expect(plan.moves).to.have.length(3);
    expect(plan.moves.every((m) => m.from === 'pg1')).to.equal(true);
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal([]);
    const json = JSON.parse((await cli('--json', 'rebalance', '--dry-run')).stdout);
    expect(json.after).to.deep.equal({ pg1: 2, pg2: 2, pg3: 1 });
  });

  it('a draining server is emptied by the plan; move and servers commands report what they did', async () => {
    manager.servers.drain('pg1');
    const plan = await manager.servers.rebalance();
    expect(plan.after).to.deep.equal({ pg1: 0, pg2: 3, pg3: 2 });
    const moved = await cli('move', 'ra', '--to', 'pg2');
    expect(moved.code, moved.stderr).to.equal(0);
    expect(moved.stdout).to.match(/^Moved ra from pg1 to pg2: \d+ tables and sequences, \d+ rows verified; writes frozen \d+\.\d\d s/);
    expect(moved.stderr).to.contain('ra: copy…');
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal(['djo_ra_db', 'fbs_ra_db']);
    const servers = await cli('servers');
    expect(servers.stdout).to.match(/pg1\s.*127\.0\.0\.1:\d+\s.*4\s.*draining/);
    expect(servers.stdout).to.match(/pg2\s.*1\s.*open/);
    const bad = await cli('move', 'ra', '--to', 'djo=pg1,fbs');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('kind=server pairs');
    const unknown = await cli('move', 'ra', '--to', 'pg9');
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain('Unknown server "pg9"');
  });
});
