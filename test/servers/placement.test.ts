import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { memoryIo } from '@fbs/migrate/cli';
import { runSolutionsCli, type SolutionManager } from '@fbs/solutions';
import { Partner, Preference } from '../solutions/fixtures/apps';
import { closeManager, serversManager, solutionDatabasesOn, startServers, type ServerSet } from './fixtures/servers';

describe('servers: placement, catalogue and servers added at runtime', function () {
  this.timeout(240_000);
  let set: ServerSet;
  const managers: SolutionManager[] = [];
  const manager = (config: Parameters<typeof serversManager>[1] = {}) => {
    const m = serversManager(set, config);
    managers.push(m);
    return m;
  };
  before(async () => {
    set = await startServers(3);
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) {
      for (const r of await m.records()) await m.drop(r.name, { confirm: r.name });
      await closeManager(m);
    }
  });
  after(async () => {
    await set?.stop();
  });

  it('fewest-solutions evens out new solutions; create(name, { server }) overrides; each database is on its server only', async () => {
    const m = manager({ servers: { pg1: set.urls.pg1!, pg2: set.urls.pg2! } });
    for (const name of ['fa', 'fb', 'fc']) await m.create(name);
    const pinned = await m.create('fd', { server: 'pg1' });
    expect(pinned.servers).to.deep.equal({ djo: 'pg1', fbs: 'pg1' });
    const records = await m.records();
    expect(Object.fromEntries(records.map((r) => [r.name, r.servers.djo]))).to.deep.equal({ fa: 'pg1', fb: 'pg2', fc: 'pg1', fd: 'pg1' });
    expect(await solutionDatabasesOn(set.clusters.pg1!)).to.deep.equal(['djo_fa_db', 'djo_fc_db', 'djo_fd_db', 'fbs_fa_db', 'fbs_fc_db', 'fbs_fd_db']);
    expect(await solutionDatabasesOn(set.clusters.pg2!)).to.deep.equal(['djo_fb_db', 'fbs_fb_db']);
    // The alias of fb resolves to pg2: a row written under withSolution is there, over a direct connection.
    await m.withSolution('fb', () => m.project.model(Preference).create({ key: 'theme', value: 'dark' }));
    expect(await set.clusters.pg2!.query('SELECT key FROM prefs_preference', [], 'djo_fb_db')).to.deep.equal([{ key: 'theme' }]);
    // A ready solution asked for on another server: refused with the move command to use.
    const error = await m.create('fb', { server: 'pg1' }).catch((e: unknown) => e);
    expect((error as Error).message).to.contain("already exists on server 'pg2'").and.contain('fbs-solutions move fb --to pg1');
    const unknown = await m.create('fe', { server: 'pg9' }).catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(ConfigurationError);
    expect((unknown as Error).message).to.contain("Unknown server \"pg9\"").and.contain("'pg1', 'pg2'");
    expect((await m.records()).map((r) => r.name)).not.to.include('fe');
    // fbs-solutions list shows the server of each solution.
    const io = memoryIo();
    const code = await runSolutionsCli(['list'], io, { load: async () => ({ manager: m, close: async () => undefined }) });
    expect(code).to.equal(0);
    const fbLine = io.output().stdout.split('\n').find((l) => l.includes(' fb '))!;
    expect(fbLine).to.contain('pg2');
    expect(io.output().stdout).to.contain('Server');
  });

  it('weighted placement gives a server a share by weight; a function may split a solution over servers', async () => {
    const weighted = manager({ servers: { pg1: set.urls.pg1!, pg2: { url: set.urls.pg2!, weight: 3 } }, placement: 'weighted' });
    for (const name of ['wa', 'wb', 'wc', 'wd']) await weighted.create(name);
    const counts = (await weighted.servers.list()).map((s) => [s.name, s.solutions]);
    expect(counts).to.deep.equal([['pg1', 1], ['pg2', 3]]);
    const split = manager({ placement: ({ solution }) => (solution === 'sx' ? { djo: 'pg1', fbs: 'pg3' } : 'pg2') });
    const info = await split.create('sx');
    expect(info.servers).to.deep.equal({ djo: 'pg1', fbs: 'pg3' });
    await split.withSolution('sx', async () => {
      await split.project.model(Preference).create({ key: 'k', value: 'v' });
      await split.project.model(Partner).create({ name: 'acme' });
    });
    expect(await set.clusters.pg1!.query('SELECT key FROM prefs_preference', [], 'djo_sx_db')).to.have.length(1);
    expect(await set.clusters.pg3!.query('SELECT name FROM erp_partner', [], 'fbs_sx_db')).to.deep.equal([{ name: 'acme' }]);
    expect(await solutionDatabasesOn(set.clusters.pg3!)).to.deep.equal(['fbs_sx_db']);
    // A policy naming no configured server: a clear error, nothing created.
    const bad = manager({ placement: () => 'nowhere' });
    const error = await bad.create('sy').catch((e: unknown) => e);
    expect((error as Error).message).to.contain('"nowhere"').and.contain('not a server open to new solutions (pg1, pg2, pg3)');
    expect((await bad.records()).map((r) => r.name)).not.to.include('sy');
  });

  it('a server added at runtime gets new solutions; a draining one gets none', async () => {
    const m = manager({ servers: { pg1: set.urls.pg1! } });
    await m.create('ra');
    m.servers.add('pg2', set.urls.pg2!);
    expect((await m.create('rb')).servers.djo).to.equal('pg2');
    m.servers.drain('pg2');
    expect((await m.create('rc')).servers.djo).to.equal('pg1');
    expect((await m.create('rd')).servers.djo).to.equal('pg1');
    expect((await m.servers.list()).map((s) => [s.name, s.solutions, s.draining])).to.deep.equal([['pg1', 3, false], ['pg2', 1, true]]);
    m.servers.drain('pg1');
    const none = await m.create('re').catch((e: unknown) => e);
    expect((none as Error).message).to.contain('every server (pg1, pg2) is draining');
    expect(() => m.servers.add('pg3', set.urls.pg1!)).to.throw(ConfigurationError, "already configured as 'pg1'");
  });

  it('migrates a catalogue of the single-server shape forward, idempotently: old rows live on the legacy server', async () => {
    const pg1 = set.clusters.pg1!;
    await pg1.query('CREATE TABLE legacy_catalogue (name varchar(40) PRIMARY KEY, state varchar(16) NOT NULL, databases jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())', [], 'servers_system');
    await pg1.query(`INSERT INTO legacy_catalogue (name, state, databases) VALUES ('old', 'ready', '{"djo":"djo_old_db","fbs":"fbs_old_db"}')`, [], 'servers_system');
    await pg1.query('CREATE DATABASE djo_old_db');
    await pg1.query('CREATE DATABASE fbs_old_db');
    for (let i = 0; i < 2; i++) {
      const m = manager({ catalogueTable: 'legacy_catalogue', servers: { pg1: set.urls.pg1!, pg2: set.urls.pg2! } });
      const [old] = await m.records();
      expect(old!.servers).to.deep.equal({ djo: 'pg1', fbs: 'pg1' });
      if (i === 1) continue;
      await closeManager(managers.pop()!);
    }
    const columns = await pg1.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'legacy_catalogue' ORDER BY column_name", [], 'servers_system');
    expect(columns.map((c) => c.column_name)).to.include.members(['servers', 'move']);
  });
});
