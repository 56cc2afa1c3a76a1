import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { literal, Op } from 'sequelize';
import type { Project } from '@fbs/core';
import { Ledger, Note, setupReplicas, waitForStatus, type ReplicaSetup } from './fixtures';

const run = promisify(execFile);
const up = (s: { health: string }[]) => s.length === 2 && s.every((r) => r.health === 'up');

describe('read replicas: routing and read-your-writes (real streaming replication)', function () {
  this.timeout(60_000);
  let setup: ReplicaSetup;
  let project: Project;

  before(async function () {
    this.timeout(120_000);
    setup = await setupReplicas('routing');
    project = setup.project();
    await waitForStatus(project, up);
  });
  after(async () => setup?.stop());

  const paused = (fn: () => Promise<void>) => setup.paused(fn);
  const count = (ctx: string) => project.model(Note).count({ where: { ctx } });

  it('routed reads run on the replicas, round-robin, not on the primary', async () => {
    // Four slow reads at once (one row, one pg_sleep each): while they run, pg_stat_activity shows them.
    await setup.primaryRows(`INSERT INTO notes_note (ctx) VALUES ('rr')`);
    await setup.catchUp();
    await waitForStatus(project, up);
    const slow = { where: { [Op.and]: [{ ctx: 'rr' }, literal('pg_sleep(1) IS NOT NULL')] } };
    let done = false;
    const reads = Promise.all([1, 2, 3, 4].map(() => project.withContext(() => project.model(Note).findAll(slow)))).finally(() => (done = true));
    const active = (server: { query(sql: string, p?: unknown[]): Promise<any[]> }) =>
      server.query(`SELECT application_name AS app FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%pg_sleep(1)%' ORDER BY 1`, [setup.database]);
    let r1: any[] = [];
    let r2: any[] = [];
    let primary: any[] = [];
    while (!done && r1.length + r2.length < 4) {
      [r1, r2, primary] = await Promise.all([active(setup.cluster.replicas[0]!), active(setup.cluster.replicas[1]!), active(setup.cluster.primary)]);
    }
    await reads;
    expect({ r1, r2, primary }).to.deep.equal({ r1: [{ app: 'fbs_r1' }, { app: 'fbs_r1' }], r2: [{ app: 'fbs_r2' }, { app: 'fbs_r2' }], primary: [] });
    expect(r2).to.deep.equal([{ app: 'fbs_r2' }, { app: 'fbs_r2' }]);
    expect(primary).to.deep.equal([]);
  });

  it('with replay paused: the writing context reads its write, another reads the stale replica, a context with the token reads it', async () => {
    await paused(async () => {
      const token = await project.withContext(async () => {
        await project.model(Note).create({ ctx: 'ryw' });
        expect(await count('ryw')).to.equal(1);
        expect(await project.model(Note).findOne({ where: { ctx: 'ryw' } })).to.not.equal(null);
        return project.causalityToken();
      });
      expect(token).to.match(/^v1;default=[0-9A-F]+\/[0-9A-F]+$/);
      expect(await project.withContext(() => count('ryw'))).to.equal(0);
      expect(await project.withContext(() => project.withCausality(token, () => count('ryw')))).to.equal(1);
      // Another process honours the token too.
      const { stdout } = await run(process.execPath, ['--conditions=fbs-source', '-r', 'ts-node/register', join(__dirname, 'fixtures-bin/token-reader.ts')], {
        env: { ...process.env, DATABASES: JSON.stringify(setup.config()), CTX: 'ryw', TOKEN: token },
      });
      expect(JSON.parse(stdout)).to.deep.equal({ without: 0, with: 1 });
    });
    // Once replayed, a fresh context reads the row from a replica.
    await waitForStatus(project, up);
    expect(await project.withContext(() => count('ryw'))).to.equal(1);
  });

  it('code outside every withContext shares one context: a write in a nested scope is read back outside it', async () => {
    await paused(async () => {
      await project.withHints({ database: 'default' }, () => project.model(Note).create({ ctx: 'unscoped' }));
      expect(await count('unscoped')).to.equal(1);
      expect(await project.withContext(() => count('unscoped'))).to.equal(0);
    });
  });

  it('a write in a transaction pins the context from commit on, after the transaction returns (savepoints too)', async () => {
    await paused(async () => {
      await project.withContext(async () => {
        await project.transaction('default', async () => {
          await project.transaction('default', async () => void (await project.model(Note).create({ ctx: 'tx' })));
        });
        expect(await count('tx')).to.equal(1);
      });
      await project.withContext(async () => {
        const t = await project.connection('default').transaction();
        await project.model(Note).create({ ctx: 'tx2' }, { transaction: t });
        await t.commit();
        expect(await count('tx2')).to.equal(1);
      });
      expect(await project.withContext(() => count('tx'))).to.equal(0);
    });
  });

  it('pinPrimary is re-entrant: an inner pin ending keeps the outer one', async () => {
    await paused(async () => {
      await project.withContext(() => project.model(Note).create({ ctx: 'pin' }));
      await project.withContext(async () => {
        expect(await count('pin')).to.equal(0);
        await project.pinPrimary(async () => {
          await project.pinPrimary(async () => expect(await count('pin')).to.equal(1));
          expect(await count('pin')).to.equal(1);
        });
        expect(await count('pin')).to.equal(0);
      });
    });
  });

  it('locks, useMaster, hints.replica = false and replicaReads: false apps read the primary', async () => {
    await paused(async () => {
      await setup.primaryRows(`INSERT INTO notes_note (ctx, n) VALUES ('prim', 0)`);
      await setup.primaryRows(`INSERT INTO ledger_ledger (entry) VALUES ('prim')`);
      await project.withContext(async () => {
        expect(await count('prim')).to.equal(0);
        expect(await project.model(Note).findAll({ where: { ctx: 'prim' }, lock: true })).to.have.length(1);
        expect(await project.model(Note).findAll({ where: { ctx: 'prim' }, useMaster: true } as any)).to.have.length(1);
        expect(await project.withHints({ replica: false }, () => count('prim'))).to.equal(1);
        expect(await project.model(Ledger).count({ where: { entry: 'prim' } })).to.equal(1);
        expect(await project.transaction('default', () => count('prim'))).to.equal(1);
      });
    });
  });

  it('an instance read from a replica belongs to the primary: dbOf names it, save is an UPDATE there', async () => {
    const [{ id }] = await setup.primaryRows(`INSERT INTO notes_note (ctx, n) VALUES ('inst', 1) RETURNING id`);
    await setup.catchUp();
    await waitForStatus(project, up);
    await paused(async () => {
      const routed = (await project.withContext(() => project.model(Note).findByPk(id)))!;
      const explicit = (await project.using('default@replica1', Note).findByPk(id))!;
      expect(project.dbOf(routed)).to.equal('default');
      expect(project.dbOf(explicit)).to.equal('default');
      routed.n = 2;
      await project.withContext(() => routed.save());
      expect(await setup.primaryRows('SELECT n FROM \"notes_note\" WHERE id = $1', [id])).to.deep.equal([{ n: 2 }]);
      explicit.n = 3;
      await explicit.save();
      expect(await setup.primaryRows(`SELECT id, n FROM \"notes_note\" WHERE ctx = 'inst'`)).to.deep.equal([{ id, n: 3 }]);
      expect(project.dbOf(explicit)).to.equal('default');
      // The replica still serves the old row: replay is paused.
      expect((await project.using('default@replica2', Note).findByPk(id))!.n).to.equal(1);
    });
  });

  it('replicas are reachable by name for reads, refuse writes, and are never migration targets', async () => {
    await expect(project.using('default@replica1', Note).create({ ctx: 'no' })).to.be.rejectedWith(/'default@replica1' is a read replica of 'default': writes go to 'default'/);
    expect(project.connections.aliases()).to.deep.equal(['default']);
    expect(project.connections.replicasOf('default')).to.deep.equal(['default@replica1', 'default@replica2']);
    expect(project.allowMigrate('default@replica1', 'notes')).to.equal(false);
    expect(project.allowMigrate('default', 'notes')).to.equal(true);
    const row = await project.connection('default@replica2').query('SELECT pg_is_in_recovery() AS standby', { type: 'SELECT' as any, plain: true });
    expect(row).to.deep.equal({ standby: true });
  });

  it('replicaStatus reports health, lag and replay position; a replica lagging over maxLagMs is skipped', async () => {
    const status = await project.replicaStatus();
    expect(status.map((s) => [s.alias, s.primary, s.health])).to.deep.equal([
      ['default@replica1', 'default', 'up'],
      ['default@replica2', 'default', 'up'],
    ]);
    expect(status[0]!.replayLsn).to.match(/^[0-9A-F]+\/[0-9A-F]+$/);
    const strict = setup.project({ maxLagMs: 300 });
    await waitForStatus(strict, up);
    await setup.cluster.replicas[0]!.pause();
    try {
      await setup.primaryRows(`INSERT INTO notes_note (ctx) VALUES ('lag')`);
      await waitForStatus(strict, (s) => s[0]!.health === 'lagging' && s[0]!.lagMs! > 300 && s[1]!.health === 'up');
      for (let i = 0; i < 10; i++) expect(await strict.withContext(() => strict.model(Note).count({ where: { ctx: 'lag' } }))).to.equal(1);
    } finally {
      await setup.cluster.replicas[0]!.resume();
    }
    await waitForStatus(strict, up);
    const lagged = (await strict.replicaStatus())[0]!;
    expect(lagged.lagMs).to.be.lessThan(300);
  });

  it('a bad replica config or causality token is refused with the value and the fix', () => {
    expect(() => setup.project({ replicas: 'postgres://x/y' })).to.throw(/`replicas` must be an array/);
    expect(() => setup.project({ maxLagMs: -1 })).to.throw(/maxLagMs must be a positive number of milliseconds, got -1/);
    expect(() => project.withCausality('nope', () => 1)).to.throw(/Causality token "nope" is not valid .*project.causalityToken\(\)/);
  });
});
