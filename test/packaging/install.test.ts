import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createDatabases, dropDatabases, queryDatabase, testServer } from '../harness/postgres';
import { packTarballs, removeTarballs, root, userEnv } from './tarballs';

const exec = promisify(execFile);
const fixture = join(root, 'test/fixtures/installed-project');

/** What a user installs next to the SDK (docs/packaging.md, README "Install"), with the frameworks of @fbs/http. */
const USER_DEPENDENCIES = {
  sequelize: '^6.37.0',
  'sequelize-typescript': '^2.1.6',
  'reflect-metadata': '^0.2.2',
  pg: '^8.23.1',
  express: '^5.1.0',
  // the optional peers of @fbs/http/nest, so that every entry point loads
  '@nestjs/common': '^11.0.0',
  rxjs: '^7.8.0',
};

/** The registry the package managers would use answers, or why not. */
async function registryUnreachable(): Promise<string | undefined> {
  const { stdout } = await exec('npm', ['config', 'get', 'registry'], { env: userEnv(), timeout: 20_000 }).catch(() => ({ stdout: 'https://registry.npmjs.org/' }));
  const registry = stdout.trim() || 'https://registry.npmjs.org/';
  try {
    const res = await fetch(new URL('sequelize', registry.endsWith('/') ? registry : `${registry}/`), { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return res.ok ? undefined : `${registry} answered ${res.status} for sequelize`;
  } catch (err) {
    return `${registry} is unreachable (${(err as Error).message})`;
  }
}

const MANAGERS = {
  npm: ['npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']],
  pnpm: ['pnpm', ['install', '--prefer-offline', '--reporter=silent']],
} as const;

for (const [manager, [command, installArgs]] of Object.entries(MANAGERS)) {
  describe(`the packed packages installed by ${manager} in a fresh project outside the workspace`, function () {
    this.timeout(60_000);
    let dir: string | undefined;
    let env: NodeJS.ProcessEnv;
    let dbDefault: string;
    let dbNotes: string;
    let dbSystem: string;
    const solution = `inst${process.pid}_${manager}`;

    const run = (cmd: string, args: string[]) => exec(cmd, args, { cwd: dir, env, timeout: 30_000, maxBuffer: 16 << 20 });
    const bin = (name: string) => join(dir!, 'node_modules/.bin', name);

    before(async function () {
      this.timeout(300_000); // the first one also builds and packs five packages (~40 s, minutes on a loaded machine); an install takes 10–20 s with a warm cache
      const unreachable = await registryUnreachable();
      if (unreachable) {
        console.log(`      pending: ${unreachable}; installing sequelize & co. needs the registry`);
        this.skip(); // pending: the npm registry is unreachable, and a fresh project cannot install sequelize & co. without it
      }
      const { tarballs } = await packTarballs();
      const server = await testServer();
      [dbDefault, dbNotes, dbSystem] = (await createDatabases(3, 'install')) as [string, string, string];
      env = userEnv({ FBS_DEFAULT_URL: server.url(dbDefault), FBS_NOTES_URL: server.url(dbNotes), FBS_SYSTEM_URL: server.url(dbSystem), NO_COLOR: '1' });
      dir = mkdtempSync(join(tmpdir(), `fbs-install-${manager}-`));
      cpSync(fixture, dir, { recursive: true });
      const file = (tgz: string) => `file:${tgz}`;
      const pkg: Record<string, unknown> = {
        name: `fbs-install-${manager}`,
        private: true,
        dependencies: { '@fbs/core': file(tarballs.core), '@fbs/migrate': file(tarballs.migrate), '@fbs/solutions': file(tarballs.solutions), '@fbs/http': file(tarballs.http), '@fbs/testing': file(tarballs.testing), ...USER_DEPENDENCIES },
      };
      // npm reuses the root's @fbs/core (and @fbs/solutions) for the `^0.1.0` ranges of the others; pnpm resolves every range on
      // its own, so an unpublished version is pointed at its tarball (as a user of a private registry would not need to).
      // Corepack (where `pnpm` is its shim) runs the workspace's pinned pnpm instead of fetching the latest.
      if (manager === 'pnpm') pkg.packageManager = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
      if (manager === 'pnpm') pkg.pnpm = { overrides: { '@fbs/core': file(tarballs.core), '@fbs/migrate': file(tarballs.migrate), '@fbs/solutions': file(tarballs.solutions) } };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
      await exec(command, [...installArgs], { cwd: dir, env, timeout: 120_000, maxBuffer: 16 << 20 });
    });

    after(async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      await dropDatabases([`djo_${solution}_db`]);
    });

    it('@fbs/migrate, @fbs/solutions and @fbs/http depend on @fbs/core with a caret range (@fbs/testing is its peer), and one copy is installed', () => {
      for (const name of ['migrate', 'solutions', 'http']) {
        const manifest = JSON.parse(readFileSync(join(dir!, 'node_modules/@fbs', name, 'package.json'), 'utf8'));
        expect(manifest.dependencies['@fbs/core'], `@fbs/${name}`).to.match(/^\^\d+\.\d+\.\d+$/);
        expect(JSON.stringify(manifest)).not.to.include('workspace:');
      }
      const coreOf = (from: string) => realpathSync(createRequire(join(realpathSync(from), 'package.json')).resolve('@fbs/core/package.json'));
      const users = coreOf(dir!);
      expect(coreOf(join(dir!, 'node_modules/@fbs/migrate'))).to.equal(users);
      expect(coreOf(join(dir!, 'node_modules/@fbs/solutions'))).to.equal(users);
      expect(coreOf(join(dir!, 'node_modules/@fbs/http'))).to.equal(users);
      const testing = JSON.parse(readFileSync(join(dir!, 'node_modules/@fbs/testing/package.json'), 'utf8'));
      expect(testing.peerDependencies['@fbs/core']).to.match(/^\^\d+\.\d+\.\d+$/);
      expect(coreOf(join(dir!, 'node_modules/@fbs/testing'))).to.equal(users);
    });

    it('@fbs/testing creates migrated test databases, rolls a test back and forbids an undeclared alias, and drops them', async () => {
      const prefix = `tst_inst${process.pid}_${manager}_`;
      const { stdout } = await run(process.execPath, ['testing.cjs', prefix]);
      const out = JSON.parse(stdout);
      expect(out.names).to.deep.equal({ default: `${prefix}${dbDefault}`, notes: `${prefix}${dbNotes}` });
      expect(out).to.deep.include({ provisioned: 'template', inside: 1, after: 0 });
      expect(out.forbidden).to.contain("Database queries to 'default' are not allowed in test \"writes a note\"");
      expect(await queryDatabase(dbDefault, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix])).to.deep.equal([]);
    });

    it('a routed write lands in the database the router chose', async () => {
      const { stdout } = await run(process.execPath, ['query.cjs', `hello from ${manager}`]);
      expect(JSON.parse(stdout)).to.deep.equal({ db: 'notes', text: `hello from ${manager}` });
      expect(await queryDatabase(dbNotes, 'SELECT text FROM notes')).to.deep.equal([{ text: `hello from ${manager}` }]);
      expect(await queryDatabase(dbDefault, "SELECT to_regclass('public.notes') AS t")).to.deep.equal([{ t: null }]);
    });

    it('every entry point loads with import, sharing the classes of require', async () => {
      const { stdout } = await run(process.execPath, ['entries.mjs']);
      expect(JSON.parse(stdout)).to.deep.equal({ createProject: 'function', startEmbeddedPostgres: 'function', Migrator: 'function', runCli: 'function', sameDefineConfig: true, SolutionManager: 'function', sameFbsError: true, SolutionGate: 'function', solutionMiddleware: 'function', fastifySolutions: 'function', jobSolutions: 'function', sameGate: true, FbsSolutionsModule: 'function', setupTestDatabases: 'function', createMochaHooks: 'function', sameForbidden: true });
    });

    it('@fbs/http/express admits a request into a real solution (its row lands there) and refuses an unknown one', async () => {
      const { stdout } = await run(process.execPath, ['http.cjs', solution, `over http from ${manager}`]);
      const { admitted, refused } = JSON.parse(stdout);
      expect(admitted).to.deep.equal({ status: 201, body: { text: `over http from ${manager}` } });
      expect([refused.status, refused.body.error.code]).to.deep.equal([404, 'solution_unknown']);
      expect(await queryDatabase(`djo_${solution}_db`, 'SELECT text FROM notes')).to.deep.equal([{ text: `over http from ${manager}` }]);
      expect(await queryDatabase(dbSystem, 'SELECT name FROM fbs_solutions')).to.deep.equal([{ name: solution }]);
    });

    it('fbs-migrate --help, status and up work with a config file', async () => {
      expect((await run(bin('fbs-migrate'), ['--help'])).stdout).to.match(/Usage: fbs-migrate/);
      const before = await run(bin('fbs-migrate'), ['status', '--config', 'fbs.config.cjs']);
      expect(before.stdout).to.include('0001_initial');
      await run(bin('fbs-migrate'), ['up', '--database', 'default', '--config', 'fbs.config.cjs']);
      expect(await queryDatabase(dbDefault, "SELECT to_regclass('public.audit_log')::text AS t")).to.deep.equal([{ t: 'audit_log' }]);
    });

    it('fbs-solutions --help', async () => {
      expect((await run(bin('fbs-solutions'), ['--help'])).stdout).to.match(/Usage: fbs-solutions/);
    });
  });
}

after(removeTarballs);
