import path from 'node:path';
import { expect } from 'chai';
import { SolutionManager, UnknownSolutionError, type SolutionPlugin } from '@fbs/solutions';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';
import { Preference, TEMPLATES, uniqueSolution } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { solutionsCli } from './fixtures/cli-runner';
import { seededSolutionProject } from './fixtures/seed-apps';

const SCRIPTS = path.join(__dirname, 'fixtures/scripts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function themes(solution: string): Promise<string[]> {
  const rows = await queryDatabase<{ value: string }>(`djo_${solution}_db`, "SELECT value FROM prefs_preference WHERE key = 'theme' ORDER BY id");
  return rows.map((r) => r.value);
}

async function hasTable(database: string, table: string): Promise<boolean> {
  return (await queryDatabase(database, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", [table])).length > 0;
}

describe('solutions: runEach / seedEach, and fbs-solutions seed / run', function () {
  this.timeout(120_000);
  let url: string;
  let names: string[];
  let manager: SolutionManager;
  before(async () => {
    url = (await testServer()).url((await createDatabases(1, 'seed'))[0]!);
    manager = new SolutionManager(seededSolutionProject(url), { templates: TEMPLATES });
    names = [uniqueSolution('seed'), uniqueSolution('seed'), uniqueSolution('seed')].sort();
    for (const name of names) await manager.create(name);
  });
  after(() => dropAll(manager));
  afterEach(() => {
    delete process.env.FBS_TEST_BROKEN_SEED;
    delete process.env.FBS_TEST_FAIL_SOLUTION;
  });

  it('runs a task once per solution inside its scope, at most `concurrency` at once; its writes land in that solution\'s database', async () => {
    let running = 0;
    let most = 0;
    const report = await manager.runEach(
      async ({ solution, databases, project }) => {
        most = Math.max(most, ++running);
        await sleep(150);
        running--;
        // Routed through the ambient hints of withSolution: no alias given.
        await project.model(Preference).create({ key: 'visited', value: solution });
        return { solution, hint: project.hints().solution, djo: databases.djo };
      },
      { solutions: names, concurrency: 2 },
    );
    expect(report.failed).to.equal(0);
    expect(most).to.equal(2);
    expect(report.solutions.map((s) => [s.name, s.outcome, s.result])).to.deep.equal(
      names.map((n) => [n, 'ok', { solution: n, hint: n, djo: `djo_${n}_db` }]),
    );
    for (const name of names) {
      const rows = await queryDatabase(`djo_${name}_db`, "SELECT value FROM prefs_preference WHERE key = 'visited'");
      expect(rows.map((r) => r.value)).to.deep.equal([name]);
    }
    await manager.runEach(({ project }) => project.model(Preference).destroy({ where: { key: 'visited' } }));
  });

  it('stops at the first failure by default (the rest skipped); --continue-on-error runs them all', async () => {
    const [a, b, c] = names as [string, string, string];
    const ran: string[] = [];
    const task = async ({ solution }: { solution: string }) => {
      ran.push(solution);
      if (solution === b) throw new Error(`refused ${solution}`);
    };
    const stopped = await manager.runEach(task, { solutions: names, concurrency: 1 });
    expect(stopped.solutions.map((s) => [s.name, s.outcome])).to.deep.equal([[a, 'ok'], [b, 'failed'], [c, 'skipped']]);
    expect(stopped).to.include({ failed: 1, skipped: 1 });
    expect(stopped.solutions[1]!.error!.message).to.equal(`refused ${b}`);
    expect(ran).to.deep.equal([a, b]);
    const all = await manager.runEach(task, { solutions: names, concurrency: 1, continueOnError: true });
    expect(all.solutions.map((s) => s.outcome)).to.deep.equal(['ok', 'failed', 'ok']);
  });

  it('refuses an unknown solution before running anything; an aborted signal skips every solution', async () => {
    let calls = 0;
    await expect(manager.runEach(() => calls++, { solutions: [names[0]!, 'no_such_solution'] })).to.be.rejectedWith(UnknownSolutionError, /no_such_solution/);
    expect(calls).to.equal(0);
    const controller = new AbortController();
    controller.abort();
    const report = await manager.runEach(() => calls++, { solutions: names, signal: controller.signal });
    expect(report).to.deep.include({ aborted: true, skipped: 3, failed: 0 });
    expect(calls).to.equal(0);
  });

  it('seedEach: the seeds on each solution\'s routed databases, once; a failing seed fails only its solution, rolled back', async () => {
    const [a, b, c] = names as [string, string, string];
    process.env.FBS_TEST_BROKEN_SEED = b;
    const first = await manager.seedEach({ solutions: names, continueOnError: true, concurrency: 3 });
    expect(first.solutions.map((s) => [s.name, s.outcome])).to.deep.equal([[a, 'ok'], [b, 'failed'], [c, 'ok']]);
    expect(first.solutions[1]!.error!.message).to.contain(`Seed 'prefs/0001_theme' failed on database 'djo_${b}_db'`).and.contain(`seed refused djo_${b}_db`);
    expect(first.solutions[0]!.result!.databases.map((d) => [d.alias, d.ran])).to.deep.equal([[`djo_${a}_db`, ['prefs/0001_theme']], [`fbs_${a}_db`, []]]);
    expect(await themes(a)).to.deep.equal([`djo_${a}_db`]);
    expect(await themes(b)).to.deep.equal([]);
    expect(await hasTable(`djo_${b}_db`, 'fbs_seeds')).to.equal(false);
    // erp has no seeds: no seed history on the fbs databases.
    expect(await hasTable(`fbs_${a}_db`, 'fbs_seeds')).to.equal(false);
    delete process.env.FBS_TEST_BROKEN_SEED;
    const second = await manager.seedEach({ solutions: names });
    expect(second.failed).to.equal(0);
    expect(second.solutions.map((s) => s.result!.databases[0]!.ran)).to.deep.equal([[], ['prefs/0001_theme'], []]);
    for (const name of names) expect(await themes(name)).to.deep.equal([`djo_${name}_db`]);
  });

  it('seedEach from a `created` plugin seeds each new solution before create() returns', async () => {
    const project = seededSolutionProject(url);
    const plugin: SolutionPlugin = {
      async created(solution, m) {
        const report = await m.seedEach({ solutions: [solution.name] });
        if (report.failed) throw report.solutions[0]!.error;
      },
    };
    const seeding = new SolutionManager(project, { templates: TEMPLATES, plugins: [plugin] });
    const name = uniqueSolution('seed');
    try {
      await seeding.create(name);
      expect(await themes(name)).to.deep.equal([`djo_${name}_db`]);
    } finally {
      await seeding.drop(name, { confirm: name });
      await seeding.close();
      await project.close();
    }
  });

  describe('the CLI', () => {
    const cli = solutionsCli(() => url, seededSolutionProject, { cwd: SCRIPTS });

    it('seed / run need --solution or --all (exit 2); a script without a function: exit 2', async () => {
      const none = await cli('seed');
      expect(none.code).to.equal(2);
      expect(none.stderr).to.contain('Say which solutions: --solution NAME (repeatable) or --all');
      const bad = await cli('run', 'no-function.js', '--all');
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.contain('must export a function');
      const missing = await cli('run', 'nowhere.ts', '--all');
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.match(/Script .*nowhere\.ts does not exist/);
    });

    it('seed --all: a report per solution; --always runs again', async () => {
      const seeded = await cli('--json', 'seed', '--all', '--concurrency', '2');
      expect(seeded.code, seeded.stderr).to.equal(0);
      const report = JSON.parse(seeded.stdout);
      expect(report.solutions.filter((s: any) => names.includes(s.name)).map((s: any) => s.outcome)).to.deep.equal(['ok', 'ok', 'ok']);
      const again = await cli('seed', 'prefs', '--solution', names[0]!, '--always');
      expect(again.code).to.equal(0);
      expect(again.stdout).to.contain(`djo_${names[0]}_db: prefs/0001_theme`).and.contain('1 of 1 solution(s) ok.');
      expect(await themes(names[0]!)).to.have.length(2);
    });

    it('draws a progress bar over the solutions on a TTY only', async () => {
      const tty = solutionsCli(() => url, seededSolutionProject, { cwd: SCRIPTS, tty: true });
      const drawn = await tty('run', 'count-preferences.ts', '--all');
      expect(drawn.code, drawn.stderr).to.equal(0);
      expect(drawn.stderr).to.match(/running \[.*\] \d+\/\d+ solutions/);
      const plain = await cli('run', 'count-preferences.ts', '--all');
      expect(plain.stderr).not.to.contain('running [');
    });

    it('run SCRIPT: once per solution inside its scope; a failure stops the rest unless --continue-on-error; exit 1', async () => {
      const [a, b, c] = names as [string, string, string];
      const ok = await cli('run', 'count-preferences.ts', '--solution', a, '--solution', b);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(new RegExp(`${a}\\s*│\\s*ok\\s*│.*│\\s*\\d+ preference\\(s\\)`));
      process.env.FBS_TEST_FAIL_SOLUTION = b;
      const stopped = await cli('--json', 'run', 'count-preferences.ts', '--solution', a, '--solution', b, '--solution', c, '--concurrency', '1');
      expect(stopped.code).to.equal(1);
      const json = JSON.parse(stopped.stdout);
      expect(json.solutions.map((s: any) => [s.name, s.outcome])).to.deep.equal([[a, 'ok'], [b, 'failed'], [c, 'skipped']]);
      expect(json.solutions[1].error.message).to.equal(`script refused ${b}`);
      const going = await cli('run', 'count-preferences.ts', '--solution', a, '--solution', b, '--solution', c, '--concurrency', '1', '--continue-on-error');
      expect(going.code).to.equal(1);
      expect(going.stdout).to.contain('2 of 3 solution(s) ok, 1 failed.');
      expect(going.stderr).to.contain(`solution ${b}: script refused ${b}`);
    });
  });
});
