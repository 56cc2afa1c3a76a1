import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { databasesLike } from './fixtures/cleanup';
import { TEMPLATES, uniqueSolution } from './fixtures/apps';
import { adminQuery, createDatabases, testServer } from '../harness/postgres';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(__dirname, 'fixtures/cli');
const SOLUTIONS_BIN = path.join(ROOT, 'packages/solutions/dist/bin.js');
const MIGRATE_BIN = path.join(ROOT, 'packages/migrate/dist/bin.js');

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)));
}

/** Builds @fbs/solutions and what it depends on when a bin is missing or older than the sources. */
function ensureBuilt(): void {
  const sources = Math.max(...['core', 'migrate', 'solutions'].map((p) => newest(path.join(ROOT, 'packages', p, 'src'))));
  const fresh = [SOLUTIONS_BIN, MIGRATE_BIN, path.join(ROOT, 'packages/core/dist/index.js')].every((f) => existsSync(f) && statSync(f).mtimeMs >= sources);
  if (!fresh) execFileSync('pnpm', ['--filter', '@fbs/solutions...', 'build'], { cwd: ROOT, stdio: 'pipe' });
}

describe('solutions: the built fbs-solutions binary', function () {
  this.timeout(180_000);
  let env: Record<string, string>;
  before(async () => {
    ensureBuilt();
    const [system] = await createDatabases(1, 'solbin');
    env = { PATH: process.env.PATH!, FBS_TEST_SYSTEM_URL: (await testServer()).url(system!), FBS_TEST_TEMPLATE: TEMPLATES.name! };
  });
  after(async () => {
    for (const db of await databasesLike(`%\\_${TEMPLATES.name}\\_db`)) await adminQuery(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  });

  const run = (bin: string, ...argv: string[]) => spawnSync(process.execPath, [bin, ...argv], { cwd: FIXTURE, env, encoding: 'utf8', timeout: 60_000 });

  it('creates a solution, fbs-migrate sees it with --all-solutions, and drop removes it; each run exits on its own', () => {
    const name = uniqueSolution('bin');
    const created = run(SOLUTIONS_BIN, 'create', name);
    expect(created.status, created.stderr).to.equal(0);
    expect(created.stdout).to.contain(`djo_${name}_db, fbs_${name}_db`);

    const status = run(MIGRATE_BIN, '--json', 'status', '--all-solutions');
    expect(status.status, status.stderr).to.equal(0);
    const rows = JSON.parse(status.stdout) as Array<{ alias: string; migrations: Array<{ name: string; state: string }> }>;
    const djo = rows.find((r) => r.alias === `djo_${name}_db`)!;
    expect(djo.migrations.find((m) => m.name === 'prefs/0001_initial')!.state).to.equal('applied');
    expect(rows.map((r) => r.alias)).to.include(`fbs_${name}_db`);

    expect(run(SOLUTIONS_BIN, 'drop', name).status).to.equal(2);
    const dropped = run(SOLUTIONS_BIN, 'drop', name, '--confirm', name);
    expect(dropped.status, dropped.stderr).to.equal(0);
    expect(JSON.parse(run(SOLUTIONS_BIN, '--json', 'list').stdout)).to.deep.equal({ solutions: [] });
  });
});
