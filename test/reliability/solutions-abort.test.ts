import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { adminQuery, createDatabases, queryDatabase, testServer } from '../harness/postgres';
import { sleeping, waitFor, type CliResult } from '../migrate/cli-harness';
import { databasesLike } from '../solutions/fixtures/cleanup';
import { uniqueSolution } from '../solutions/fixtures/apps';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures/solutions-abort');
const BIN = path.join(ROOT, 'packages/solutions/dist/bin.js');
const PREFS = ['prefs/0001_initial', 'prefs/0002_slow', 'prefs/0003_after'];

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)));
}

/** Builds @fbs/solutions and what it depends on when its bin is missing or older than the sources. */
function ensureBuilt(): void {
  const sources = Math.max(...['core', 'migrate', 'solutions'].map((p) => newest(path.join(ROOT, 'packages', p, 'src'))));
  const built = ['solutions/dist/bin.js', 'migrate/dist/index.js', 'core/dist/index.js'].map((f) => path.join(ROOT, 'packages', f));
  if (!built.every((f) => existsSync(f) && statSync(f).mtimeMs >= sources)) execFileSync('pnpm', ['--filter', '@fbs/solutions...', 'build'], { cwd: ROOT, stdio: 'pipe' });
}

/** Starts the built `fbs-solutions` on the fixture in a child process. */
function start(argv: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd: FIXTURE, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

const history = async (database: string) => (await queryDatabase<{ name: string }>(database, 'SELECT name FROM fbs_migrations ORDER BY id')).map((r) => r.name);
const tableExists = async (database: string, table: string) => (await queryDatabase(database, 'SELECT 1 FROM pg_tables WHERE tablename = $1', [table])).length > 0;

describe('reliability: fbs-solutions stops on SIGINT/SIGTERM and says what it did', function () {
  this.timeout(30_000);
  let system: string;
  let env: Record<string, string>;
  const children: { kill(signal: NodeJS.Signals): unknown }[] = [];
  const template = `template_ab${process.pid}`;

  before(async function () {
    this.timeout(240_000);
    ensureBuilt();
    [system] = (await createDatabases(1, 'solabort')) as [string];
    env = { FBS_TEST_SYSTEM_URL: (await testServer()).url(system) };
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });
  after(async () => {
    const names = (await queryDatabase<{ name: string }>(system, 'SELECT name FROM fbs_solutions').catch(() => [])).map((r) => r.name);
    const databases = [...names.flatMap((n) => [`djo_${n}_db`, `fbs_${n}_db`]), ...(await databasesLike(`%\\_${template}\\_db`))];
    for (const db of databases) await adminQuery(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  });

  const run = (argv: string[], extra: Record<string, string> = {}) => {
    const child = start(argv, { ...env, ...extra });
    children.push(child);
    return child;
  };
  /** Advisory locks held in the solution's databases or the system database (where the admin takes its locks). */
  const advisoryLocks = (databases: string[]) =>
    adminQuery("SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = ANY($1)", [[system, ...databases]]);
  const state = async (name: string) => (await queryDatabase<{ state: string }>(system, 'SELECT state FROM fbs_solutions WHERE name = $1', [name]))[0]?.state;

  /** Interrupts `child` once prefs/0002_slow sleeps in `database` (and, if given, `settled` holds). */
  async function interrupt(child: ReturnType<typeof run>, database: string, signal: NodeJS.Signals, settled?: () => Promise<boolean>): Promise<CliResult> {
    await waitFor(() => sleeping(database), 15_000, `prefs/0002_slow to sleep in ${database}`);
    if (settled) await waitFor(settled, 5_000, 'the other database to be migrated');
    const sent = Date.now();
    child.kill(signal);
    const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`fbs-solutions did not exit within 10 s of ${signal}`)), 10_000).unref());
    const result = await Promise.race([child.result, late]);
    expect(Date.now() - sent, 'the sleeping migration is cancelled, not waited for').to.be.below(8_000);
    return result;
  }

  it('SIGINT during create: the migration in flight is rolled back, locks released, what was done printed, exit 130; create again finishes it', async () => {
    const name = uniqueSolution('ab');
    const [djo, fbs] = [`djo_${name}_db`, `fbs_${name}_db`];
    const child = run(['create', name], { FBS_TEST_SLOW_MS: '60000' });
    const result = await interrupt(child, djo, 'SIGINT', async () => (await history(fbs).catch(() => [])).length === 1);

    expect(result.code, result.stderr).to.equal(130);
    expect(result.stderr).to.contain('interrupted: stopping after the current step');
    expect(result.stdout).to.match(new RegExp(`${djo}\\s*│\\s*empty\\s*│\\s*prefs/0001_initial\\s*│\\s*prefs/0002_slow`));
    expect(result.stdout).to.contain('prefs/0003_after');
    expect(result.stdout).to.match(new RegExp(`${fbs}\\s*│\\s*empty\\s*│\\s*erp/0001_initial\\s*│\\s*-`));
    expect(result.stdout).to.contain(`Interrupted: solution ${name} is not ready`).and.contain(`Run \`fbs-solutions create ${name}\` again to finish it.`);
    expect(result.stderr).to.contain(`Creating solution '${name}' was interrupted (step: migrating ${djo}, ${fbs})`);
    expect(await history(djo)).to.deep.equal(['prefs/0001_initial']);
    expect(await tableExists(djo, 'prefs_slow'), 'the migration in flight was rolled back').to.equal(false);
    expect(await advisoryLocks([djo, fbs])).to.deep.equal([]);
    expect(await state(name)).to.equal('creating');

    const again = await run(['create', name]).result;
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(new RegExp(`${name}\\s*│\\s*${djo}, ${fbs}\\s*│\\s*already existed`));
    expect(await history(djo)).to.deep.equal(PREFS);
    expect(await history(fbs)).to.deep.equal(['erp/0001_initial']);
    expect(await state(name)).to.equal('ready');
  });

  it('SIGTERM during create --json: the report lists, per database, what was created and applied and what was not; later names are not started', async () => {
    const [name, later] = [uniqueSolution('ab'), uniqueSolution('ab')];
    const [djo, fbs] = [`djo_${name}_db`, `fbs_${name}_db`];
    const child = run(['--json', 'create', name, later], { FBS_TEST_SLOW_MS: '60000' });
    const result = await interrupt(child, djo, 'SIGTERM', async () => (await history(fbs).catch(() => [])).length === 1);

    expect(result.code, result.stderr).to.equal(130);
    const json = JSON.parse(result.stdout);
    expect(json).to.include({ aborted: true });
    expect(json.solutions).to.deep.equal([]);
    expect(json.interrupted).to.deep.include({ name, state: 'creating', notStarted: [later] });
    expect(json.interrupted.databases).to.deep.equal([
      { database: djo, created: 'empty', applied: ['prefs/0001_initial'], pending: PREFS.slice(1) },
      { database: fbs, created: 'empty', applied: ['erp/0001_initial'], pending: [] },
    ]);
    expect(json.interrupted.error.code).to.equal('FBS_SOLUTION_ABORTED');
    expect(await databasesLike(`%\\_${later}\\_db`)).to.deep.equal([]);
    expect(await state(later)).to.equal(undefined);
  });

  it('SIGINT during migrate: exit 130, --json says aborted and what is pending; migrate again finishes', async () => {
    const name = uniqueSolution('ab');
    const djo = `djo_${name}_db`;
    const created = await run(['create', name], { FBS_TEST_FIRST_ONLY: '1' }).result;
    expect(created.code, created.stderr).to.equal(0);
    const child = run(['--json', 'migrate', '--solution', name], { FBS_TEST_SLOW_MS: '60000' });
    const result = await interrupt(child, djo, 'SIGINT');

    expect(result.code, result.stderr).to.equal(130);
    const json = JSON.parse(result.stdout);
    expect(json).to.include({ aborted: true, failed: 0 });
    expect(json.solutions[0]).to.deep.include({ name, aborted: true, pending: { [djo]: PREFS.slice(1) } });
    expect(json.solutions[0].error.code).to.equal('FBS_MIGRATION_ABORTED');
    expect(await history(djo)).to.deep.equal(['prefs/0001_initial']);
    expect(await tableExists(djo, 'prefs_slow')).to.equal(false);
    expect(await advisoryLocks([djo, `fbs_${name}_db`])).to.deep.equal([]);

    const again = await run(['migrate', '--solution', name]).result;
    expect(again.code, again.stderr).to.equal(0);
    expect(await history(djo)).to.deep.equal(PREFS);
  });

  it('SIGINT while create rebuilds a template: nothing of the solution is created, the template is rebuilt by the next create', async () => {
    const name = uniqueSolution('ab');
    const withTemplate = { FBS_TEST_TEMPLATE: template };
    const djoTemplate = `djo_${template}_db`;
    const child = run(['create', name], { ...withTemplate, FBS_TEST_SLOW_MS: '60000' });
    const result = await interrupt(child, djoTemplate, 'SIGINT');

    expect(result.code, result.stderr).to.equal(130);
    expect(result.stdout).to.contain(`Interrupted: solution ${name} is not created (stopped at: preparing template database ${djoTemplate})`);
    expect(result.stderr).to.contain('nothing of the solution was created yet');
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([]);
    expect(await state(name)).to.equal(undefined);
    expect(await history(djoTemplate)).to.deep.equal(['prefs/0001_initial']);
    expect(await advisoryLocks([djoTemplate])).to.deep.equal([]);

    const again = await run(['--json', 'create', name], withTemplate).result;
    expect(again.code, again.stderr).to.equal(0);
    expect(JSON.parse(again.stdout).solutions[0].provisioned).to.deep.equal({ [`djo_${name}_db`]: 'template', [`fbs_${name}_db`]: 'template' });
    expect(await history(`djo_${name}_db`)).to.deep.equal(PREFS);
  });
});
