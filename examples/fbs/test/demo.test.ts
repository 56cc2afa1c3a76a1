import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const EXAMPLE = path.resolve(__dirname, '..');

/** Runs the demo as `pnpm --filter fbs-example demo` does, with no database configured in the environment. */
function runDemo(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(LIC_)?DB_/.test(key) && key !== 'DEBUG'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=fbs-source', '-r', 'ts-node/register', 'src/demo.ts'], {
      cwd: EXAMPLE, env: { ...env, FBS_DEMO_DATA_DIR: dataDir, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const row = (...cells: string[]) => new RegExp(cells.map((c) => `│ ${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+`).join(''));

describe('examples/fbs: the demo', () => {
  let dataDir: string;
  before(async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'fbs-demo-'));
    await chmod(parent, 0o755); // as root, the server runs as \`postgres\`, which must reach its data directory
    dataDir = path.join(parent, 'postgres');
  });
  after(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('on a machine with no database configured, starts embedded PostgreSQL and shows where every row is', async function () {
    this.timeout(120_000);
    const { code, stdout, stderr } = await runDemo(dataDir);
    expect(stderr, stderr).to.equal('');
    expect(code).to.equal(0);
    expect(stdout).to.contain('embedded PostgreSQL');
    expect(stdout).to.match(row('1  licensing database', 'lic_system_db', 'created, migrated: fbs_license_manager/0001_initial'));
    expect(stdout).to.match(row('3  solution acme_corp', 'djo_acme_corp_db', 'created: cloned from the migrated template'));
    expect(stdout).to.match(row('4  seeds', 'fbs_system_db', 'seeded: fbs_app/0001_business_rules'));
    expect(stdout).to.match(row('4  seeds acme_corp', 'djo_acme_corp_db', 'seeded: solution_app/0001_default_settings'));
    expect(stdout).to.match(row('', 'fbs_acme_corp_db', 'no seeds routed here'));
    expect(stdout).to.match(row('fbs_app.OdooDatabase', 'fbs_system_db', '3'));
    expect(stdout).to.match(row('fbs_license_manager.FeatureUsage', 'lic_system_db', '2'));
    expect(stdout).to.match(row('solution_erp.Customer', 'fbs_acme_corp_db', '3'));
    expect(stdout).to.match(row('', 'fbs_retail_chain_db', '4'));
    expect(stdout).to.match(row('acme_corp', 'professional', 'yes', '4 of 10000'));
    for (const error of ['SystemCheckError', 'RelationNotAllowedError', 'MissingHintError', 'LicenseError']) expect(stdout).to.contain(error);
    expect(stdout).to.match(row('record api_calls usage (4 this month)', 'fbs_license_manager.FeatureUsage', 'lic_system_db'));
    expect(stdout).to.match(row('log the request', 'fbs_app.RequestLog', 'fbs_system_db'));
    expect(stdout).not.to.match(/Executing \(|SELECT /); // no SQL or debug noise
  });

  it('runs again: same databases, same rows, usage keeps counting', async function () {
    this.timeout(120_000);
    const { code, stdout } = await runDemo(dataDir);
    expect(code).to.equal(0);
    expect(stdout).to.match(row('2  system database', 'fbs_system_db', 'existed (at head)'));
    expect(stdout).to.match(row('', 'fbs_acme_corp_db', 'existed (at head)'));
    expect(stdout).to.match(row('4  seeds', 'fbs_system_db', 'seeds already run'));
    expect(stdout).to.match(row('fbs_app.OdooDatabase', 'fbs_system_db', '3'));
    expect(stdout).to.match(row('fbs_app.RequestLog', 'fbs_system_db', '4'));
    expect(stdout).to.contain('the request is a replay and writes nothing');
    expect(stdout).to.match(row('acme_corp', 'professional', 'yes', '7 of 10000'));
  });
});
