import path from 'node:path';
import { expect } from 'chai';
import { Migrator } from '@fbs/migrate';
import { memoryIo, runCli } from '@fbs/migrate/cli';
import { runSolutionsCli, ServerUnavailableError, SolutionManager } from '@fbs/solutions';
import { solutionProject, TEMPLATES } from '../solutions/fixtures/apps';
import { closeManager, serversManager, startServers, type ServerSet } from './fixtures/servers';
import { DataTypes } from 'sequelize';

const CONFIG_DIR = path.join(__dirname, 'fixtures/cli');

describe('servers: create, migrate-all and status across servers; one server down', function () {
  this.timeout(300_000);
  let set: ServerSet;
  let manager: SolutionManager;
  const names = ['ma', 'mb', 'mc', 'md', 'me', 'mf'];
  before(async () => {
    set = await startServers(3);
    manager = serversManager(set);
    for (const name of names) await manager.create(name);
    Object.assign(process.env, { FBS_TEST_SYSTEM_URL: set.systemUrl, FBS_TEST_SERVERS: JSON.stringify(set.urls) });
  });
  after(async () => {
    if (manager) await closeManager(manager);
    delete process.env.FBS_TEST_SERVERS;
    await set?.stop();
  });

  /** A manager whose project has one more migration on prefs (a column), as after a deploy. */
  function upgraded(): SolutionManager {
    const project = solutionProject(set.systemUrl, {
      prefs: [{ name: '0002_note', up: ({ queryInterface, transaction }) => queryInterface.addColumn('prefs_preference', 'note', DataTypes.STRING, { transaction }) }],
    });
    return new SolutionManager(project, { servers: set.urls, templates: TEMPLATES, migrator: new Migrator(project, { concurrency: 2 }) });
  }
  const serverOf = (name: string) => `pg${(names.indexOf(name) % 3) + 1}`;
  const hasNote = async (name: string) =>
    (await set.clusters[serverOf(name)]!.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'prefs_preference' AND column_name = 'note'", [], `djo_${name}_db`)).length === 1;

  it('placed the solutions round the servers; status --all-solutions reads every server', async () => {
    expect((await manager.records()).map((r) => `${r.name}:${r.servers.djo}`)).to.deep.equal(names.map((n) => `${n}:${serverOf(n)}`));
    const io = memoryIo({ cwd: CONFIG_DIR });
    const code = await runCli(['status', '--all-solutions', '--json'], io);
    expect(code, io.output().stderr).to.equal(0);
    const statuses = JSON.parse(io.output().stdout) as { alias: string; migrations: { state: string }[] }[];
    expect(statuses.map((s) => s.alias).sort()).to.deep.equal(names.flatMap((n) => [`djo_${n}_db`, `fbs_${n}_db`]).sort());
    const states = new Set(statuses.flatMap((s) => s.migrations.map((m) => m.state)));
    expect([...states].sort()).to.deep.equal(['applied', 'not-routed']);
  });

  it('migrateAll runs per server with a concurrency limit each; a stopped server fails only its solutions, named in the report', async () => {
    const m = upgraded();
    try {
      const migrator = (await m.migrator()) as Migrator;
      const running = new Map<string, number>();
      const most = new Map<string, number>();
      const server = (alias: string) => serverOf(alias.replace(/^(djo|fbs)_/, '').replace(/_db$/, ''));
      migrator.on('database:start', ({ alias }: { alias: string }) => {
        const n = (running.get(server(alias)) ?? 0) + 1;
        running.set(server(alias), n);
        most.set(server(alias), Math.max(most.get(server(alias)) ?? 0, n));
      });
      const done = ({ alias }: { alias: string }) => running.set(server(alias), running.get(server(alias))! - 1);
      migrator.on('database:done', done);
      migrator.on('database:error', done);
      await set.clusters.pg2!.halt();
      const report = await m.migrateAll({ concurrency: 1 });
      expect(report.unavailableServers).to.deep.equal(['pg2']);
      const failed = report.solutions.filter((s) => s.error).map((s) => s.name);
      expect(failed).to.deep.equal(['mb', 'me']);
      expect(report.failed).to.equal(2);
      for (const s of report.solutions.filter((r) => r.error)) {
        expect(s.error).to.be.instanceOf(ServerUnavailableError);
        expect(s.error!.message).to.contain("Server 'pg2' is unavailable");
      }
      expect([...most.values()].every((n) => n <= 1), JSON.stringify([...most])).to.equal(true);
      expect(report.servers).to.deep.include({ pg1: { databases: 4, concurrency: 1 } });
      for (const name of ['ma', 'mc', 'md', 'mf']) expect(await hasNote(name), name).to.equal(true);

      // The CLIs say the same: exit 1, the server and its solutions named.
      const io = memoryIo({ cwd: CONFIG_DIR });
      const code = await runSolutionsCli(['migrate'], io, { load: async () => ({ manager: upgraded(), close: async () => undefined }) });
      expect(code).to.equal(1);
      expect(io.output().stderr).to.contain('Server(s) unavailable: pg2; their solutions were not migrated: mb, me.');
      const status = memoryIo({ cwd: CONFIG_DIR });
      expect(await runCli(['status', '--all-solutions'], status)).to.equal(1);
      expect(status.output().stderr).to.contain('djo_mb_db').and.contain('fbs_me_db');
      expect(status.output().stdout).to.contain('djo_ma_db');
    } finally {
      await set.clusters.pg2!.start();
    }
    // Back up: the next run migrates what is left.
    const again = await m.migrateAll();
    expect(again.failed).to.equal(0);
    for (const name of names) expect(await hasNote(name), name).to.equal(true);
    await closeManager(m);
  });
});
