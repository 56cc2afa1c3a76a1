import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { testServer } from '../harness/postgres';
import { databasesWithPrefix, dropWithPrefix, uniquePrefix } from './helpers';

const exec = promisify(execFile);
const root = resolve(__dirname, '../..');

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The run's environment without this workspace's test-server settings (a user's shell). */
function userShell(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(FBS_|PG|NODE_OPTIONS$|SHOP_)/.test(key)) env[key] = value;
  return { ...env, ...extra };
}

interface MochaReport {
  stats: { passes: number; failures: number; pending: number };
  failures: { fullTitle: string; err: { message: string } }[];
  passes: { fullTitle: string }[];
}

/** Runs an example's own test command in its directory; returns mocha's JSON report. */
async function runExample(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, args, { cwd: join(root, 'examples', dir), env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

const mocha = (extra: Record<string, string>) =>
  runExample('testing-mocha', [join(root, 'examples/testing-mocha/node_modules/mocha/bin/mocha.js'), '--reporter', 'json'], userShell(extra)).then((run) => {
    let report: MochaReport;
    try {
      report = JSON.parse(run.stdout) as MochaReport;
    } catch {
      throw new Error(`the example's mocha run printed no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    return { ...run, report };
  });

describe('examples/testing-mocha: a user project tested with the @fbs/testing mocha plugin (child processes)', function () {
  this.timeout(300_000);
  const prefixes: string[] = [];
  after(async () => {
    for (const p of prefixes) await dropWithPrefix(p);
  });

  it("passes on the user's server: rows left by a test are gone for the next, a forbidden alias fails with its message, nothing is left behind", async () => {
    const server = await testServer();
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const { report, code, stderr } = await mocha({ PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, ...(server.password ? { PGPASSWORD: server.password } : {}), SHOP_TEST_PREFIX: prefix, EXPECT_SERVER_KIND: 'config' });
    expect(report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`), stderr).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(report.stats.passes).to.equal(13);
    const titles = report.passes.map((p) => p.fullTitle);
    expect(titles).to.include('per-test rollback on every declared alias the next test finds none of them, on either database');
    expect(titles).to.include('forbidden aliases a query to an undeclared alias fails, naming the alias and the test');
    // The test databases and their templates are dropped at the end of the run.
    expect(await databasesWithPrefix(prefix)).to.deep.equal([]);
  });

  it('passes on an embedded PostgreSQL when no server answers (PGHOST/PGPORT at a closed port)', async () => {
    const { report, code, stderr } = await mocha({ PGHOST: '127.0.0.1', PGPORT: String(await closedPort()), PGUSER: 'postgres', EXPECT_SERVER_KIND: 'embedded' });
    expect(report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`), stderr).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(report.stats.passes).to.equal(13);
  });
});

describe('examples/testing-vitest: the same project tested with vitest (globalSetup builds the templates, each worker clones its own)', function () {
  this.timeout(300_000);
  const prefix = uniquePrefix();
  after(() => dropWithPrefix(prefix));

  it('passes, each worker on its own databases, and leaves no database behind', async () => {
    const server = await testServer();
    const run = await runExample('testing-vitest', [join(root, 'examples/testing-vitest/node_modules/vitest/vitest.mjs'), 'run', '--reporter=json'], userShell({
      PGHOST: server.host, PGPORT: String(server.port), PGUSER: server.user, ...(server.password ? { PGPASSWORD: server.password } : {}), SHOP_TEST_PREFIX: prefix, EXPECT_SERVER_KIND: 'config', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
    }));
    const start = run.stdout.indexOf('{');
    let report: { numPassedTests: number; numFailedTests: number; testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[] };
    try {
      report = JSON.parse(run.stdout.slice(start));
    } catch {
      throw new Error(`vitest printed no JSON report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    const failed = report.testResults.flatMap((f) => f.assertionResults).filter((a) => a.status !== 'passed');
    expect(failed.map((a) => `${a.fullName}: ${a.failureMessages.join(' ')}`), run.stderr).to.deep.equal([]);
    expect(run.code).to.equal(0);
    expect(report.numPassedTests).to.equal(5);
    expect(await databasesWithPrefix(prefix)).to.deep.equal([]);
  });
});
