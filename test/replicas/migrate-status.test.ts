import { expect } from 'chai';
import { ensureBuilt, runInProcess } from '../migrate/cli-harness';
import { startReplicatedCluster, type ReplicatedCluster } from '../harness/replica';

describe('read replicas: fbs-migrate never migrates a replica; status lists replicas and their lag', function () {
  this.timeout(120_000);
  let cluster: ReplicatedCluster;
  let env: Record<string, string>;

  before(async function () {
    this.timeout(120_000);
    ensureBuilt(); // the fixture config loads @fbs/core from dist
    cluster = await startReplicatedCluster(2);
    for (const db of ['replicas_cli_default', 'replicas_cli_lic']) await cluster.primary.query(`CREATE DATABASE ${db}`);
    await Promise.all(cluster.replicas.map((r) => r.catchUp()));
    env = {
      FBS_TEST_DATABASES: JSON.stringify({
        default: { url: cluster.primary.url('replicas_cli_default'), replicas: cluster.replicas.map((r) => r.url('replicas_cli_default')), maxLagMs: 400 },
        licensing: cluster.primary.url('replicas_cli_lic'),
      }),
    };
  });
  after(async () => cluster?.stop());

  it('up migrates the primaries only; the replicas get the tables by replication', async () => {
    const up = await runInProcess(['up', '--all'], env);
    expect(up.code, up.stderr).to.equal(0);
    await Promise.all(cluster.replicas.map((r) => r.catchUp()));
    const onReplica = await cluster.replicas[0]!.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'fbs_migrations'`, [], 'replicas_cli_default');
    expect(onReplica).to.deep.equal([{ n: 1 }]);
    const refused = await runInProcess(['up', '-d', 'default@replica1'], env);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.contain("'default@replica1' is a read replica of 'default': it replays 'default''s changes and is never migrated. Migrate 'default' instead.");
  });

  it('status shows each replica, its health and lag (text and --json)', async () => {
    const text = await runInProcess(['status'], env);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/│ Replica\s+│ Primary │ Health │ Lag\s+│ Replayed up to\s+│ Notes/);
    expect(text.stdout).to.match(/│ default@replica1 │ default │ up\s+│ 0 ms │ [0-9A-F]+\/[0-9A-F]+/);
    expect(text.stdout).to.match(/│ default@replica2 │ default │ up\s+│ 0 ms │/);
    await cluster.replicas[1]!.pause();
    try {
      await cluster.primary.query('CREATE TABLE lag_maker (x int)', [], 'replicas_cli_default');
      await new Promise((r) => setTimeout(r, 700));
      const json = await runInProcess(['status', '--json'], env);
      const statuses = JSON.parse(json.stdout) as { alias: string; replicas?: { alias: string; health: string; lagMs: number }[] }[];
      const replicas = statuses.find((s) => s.alias === 'default')!.replicas!;
      expect(replicas.map((r) => [r.alias, r.health])).to.deep.equal([
        ['default@replica1', 'up'],
        ['default@replica2', 'lagging'],
      ]);
      expect(replicas[1]!.lagMs).to.be.greaterThan(400);
      expect(statuses.find((s) => s.alias === 'licensing')).to.not.have.property('replicas');
    } finally {
      await cluster.replicas[1]!.resume();
    }
  });
});
