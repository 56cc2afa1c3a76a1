import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropDatabases, queryDatabase, testServer, uniqueDatabaseName } from '../../../test/harness/postgres';

const EXAMPLE = path.resolve(__dirname, '..');
const ROOT = path.resolve(EXAMPLE, '..', '..');

/** The README's shell block under the migration-strategy heading. */
async function readmeBlock(): Promise<string> {
  const readme = await readFile(path.join(EXAMPLE, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf("## The seed's migration strategy"));
  const match = /```bash\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no bash block under \"The seed's migration strategy\"");
  return match[1]!;
}

/** The bins of a workspace package, run on its TypeScript sources (no build needed): `src/bin.ts`. */
async function sourceShim(dir: string, pkg: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  for (const name of Object.keys(manifest.bin ?? {})) {
    const source = path.join(ROOT, 'packages', pkg, 'src/bin.ts');
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\nexec "${process.execPath}" --conditions=fbs-source -r ts-node/register "${source}" "$@"\n`);
    await chmod(file, 0o755);
  }
}

function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: EXAMPLE, env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe("examples/fbs: the README's migration phases", () => {
  let bin: string;
  const solution = `acme_corp_p${process.pid}`;
  before(async () => {
    bin = await mkdtemp(path.join(tmpdir(), 'fbs-bin-'));
    await sourceShim(bin, 'migrate');
    await sourceShim(bin, 'solutions');
  });
  after(async function () {
    this.timeout(120_000);
    await rm(bin, { recursive: true, force: true });
    await dropDatabases([`djo_${solution}_db`, `fbs_${solution}_db`]);
  });

  it('runs Phase 1–3 with the CLIs, leaving each app on its own databases', async function () {
    this.timeout(120_000);
    const server = await testServer();
    const system = uniqueDatabaseName('fbsreadme');
    const licensing = uniqueDatabaseName('fbsreadme');
    const vars = (prefix: string, name: string) => ({
      [`${prefix}NAME`]: name, [`${prefix}HOST`]: server.host, [`${prefix}PORT`]: String(server.port),
      [`${prefix}USER`]: server.user, [`${prefix}PASSWORD`]: server.password ?? '',
    });
    const env = {
      ...process.env, ...vars('DB_', system), ...vars('LIC_DB_', licensing), PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1',
      // Template databases have fixed names on a shared test server: migrate the solution's databases directly.
      FBS_SOLUTION_TEMPLATES: 'off',
    };
    // The block as written, with a solution name unique to this run.
    const script = (await readmeBlock()).replaceAll('acme_corp', solution);
    const { code, output } = await bash(script, env);
    expect(code, output).to.equal(0);

    const history = async (db: string) => (await queryDatabase(db, 'SELECT name FROM fbs_migrations ORDER BY name')).map((r) => r.name);
    expect(await history(licensing)).to.deep.equal(['fbs_license_manager/0001_initial']);
    expect(await history(system)).to.deep.equal(['fbs_app/0001_initial']);
    expect(await history(`djo_${solution}_db`)).to.deep.equal(['solution_app/0001_initial']);
    expect(await history(`fbs_${solution}_db`)).to.deep.equal(['solution_erp/0001_initial']);
    // `status --solution`: each solution app applied on its own database, not routed to the other.
    expect(output).to.match(/solution_app\/0001_initial\s+│ applied\s+│ -\s+│/);
    expect(output).to.match(/solution_erp\/0001_initial\s+│ -\s+│ applied\s+│/);
  });
});
