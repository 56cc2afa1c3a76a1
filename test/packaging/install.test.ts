import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';
import { packTarballs, removeTarballs, root, userEnv } from './tarballs';

const exec = promisify(execFile);
const fixture = join(root, 'test/fixtures/installed-project');

/** What a user installs next to the SDK (docs/packaging.md, README "Install"). */
const USER_DEPENDENCIES = {
  sequelize: '^6.37.0',
  'sequelize-typescript': '^2.1.6',
  'reflect-metadata': '^0.2.2',
  pg: '^8.23.1',
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

    const run = (cmd: string, args: string[]) => exec(cmd, args, { cwd: dir, env, timeout: 30_000, maxBuffer: 16 << 20 });
    const bin = (name: string) => join(dir!, 'node_modules/.bin', name);

    before(async function () {
      this.timeout(180_000); // the first one also builds and packs (~30 s); an install takes 10–20 s with a warm cache
      const unreachable = await registryUnreachable();
      if (unreachable) {
        console.log(`      pending: ${unreachable}; installing sequelize & co. needs the registry`);
        this.skip();
      }
      const { tarballs } = await packTarballs();
      const server = await testServer();
      [dbDefault, dbNotes] = (await createDatabases(2, 'install')) as [string, string];
      env = userEnv({ FBS_DEFAULT_URL: server.url(dbDefault), FBS_NOTES_URL: server.url(dbNotes), NO_COLOR: '1' });
      dir = mkdtempSync(join(tmpdir(), `fbs-install-${manager}-`));
      cpSync(fixture, dir, { recursive: true });
      const file = (tgz: string) => `file:${tgz}`;
      const pkg: Record<string, unknown> = {
        name: `fbs-install-${manager}`,
        private: true,
        dependencies: { '@fbs/core': file(tarballs.core), '@fbs/migrate': file(tarballs.migrate), '@fbs/solutions': file(tarballs.solutions), ...USER_DEPENDENCIES },
      };
      // npm reuses the root's @fbs/core for @fbs/migrate's `^0.1.0`; pnpm resolves every range on
      // its own, so an unpublished version is pointed at its tarball (as a user of a private registry would not need to).
      if (manager === 'pnpm') pkg.pnpm = { overrides: { '@fbs/core': file(tarballs.core), '@fbs/migrate': file(tarballs.migrate) } };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
      await exec(command, [...installArgs], { cwd: dir, env, timeout: 120_000, maxBuffer: 16 << 20 });
    });

    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('@fbs/migrate and @fbs/solutions depend on @fbs/core with a caret range, and one copy is installed', () => {
      for (const name of ['migrate', 'solutions']) {
        const manifest = JSON.parse(readFileSync(join(dir!, 'node_modules/@fbs', name, 'package.json'), 'utf8'));
        expect(manifest.dependencies['@fbs/core'], `@fbs/${name}`).to.match(/^\^\d+\.\d+\.\d+$/);
        expect(JSON.stringify(manifest)).not.to.include('workspace:');
      }
      const coreOf = (from: string) => realpathSync(createRequire(join(realpathSync(from), 'package.json')).resolve('@fbs/core/package.json'));
      const users = coreOf(dir!);
      expect(coreOf(join(dir!, 'node_modules/@fbs/migrate'))).to.equal(users);
      expect(coreOf(join(dir!, 'node_modules/@fbs/solutions'))).to.equal(users);
    });

    it('a routed write lands in the database the router chose', async () => {
      const { stdout } = await run(process.execPath, ['query.cjs', `hello from ${manager}`]);
      expect(JSON.parse(stdout)).to.deep.equal({ db: 'notes', text: `hello from ${manager}` });
      expect(await queryDatabase(dbNotes, 'SELECT text FROM notes')).to.deep.equal([{ text: `hello from ${manager}` }]);
      expect(await queryDatabase(dbDefault, "SELECT to_regclass('public.notes') AS t")).to.deep.equal([{ t: null }]);
    });

    it('every entry point loads with import, sharing the classes of require', async () => {
      const { stdout } = await run(process.execPath, ['entries.mjs']);
      expect(JSON.parse(stdout)).to.deep.equal({ createProject: 'function', startEmbeddedPostgres: 'function', Migrator: 'function', SolutionManager: 'function', sameFbsError: true });
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
