import { expect } from 'chai';
import { startCluster, type ThrowawayCluster } from '../harness/cluster';

describe('reliability: the throwaway-cluster harness', function () {
  this.timeout(60_000);
  let cluster: ThrowawayCluster;
  before(async () => {
    cluster = await startCluster({ settings: { idle_session_timeout: "'1h'" } });
  });
  after(() => cluster?.stop());

  it('runs on its own loopback port, restarts, and keeps its data', async () => {
    expect(cluster.port).to.not.equal(5432);
    await cluster.query('CREATE DATABASE kept');
    await cluster.query('CREATE TABLE t (v int); INSERT INTO t VALUES (7)', [], 'kept');
    await cluster.restart();
    const rows = await cluster.query('SELECT v FROM t', [], 'kept');
    expect(rows).to.deep.equal([{ v: 7 }]);
    const [setting] = await cluster.query("SELECT current_setting('idle_session_timeout') AS v");
    expect(setting.v).to.equal('1h');
  });
});
