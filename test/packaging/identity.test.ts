import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const root = resolve(__dirname, '../..');
const PACKAGES = ['core', 'migrate', 'solutions', 'http', 'testing'];
const ENTRIES = ['@fbs/core', '@fbs/core/embedded', '@fbs/core/dialect', '@fbs/migrate', '@fbs/migrate/cli', '@fbs/solutions', '@fbs/http', '@fbs/http/express', '@fbs/http/fastify', '@fbs/http/jobs', '@fbs/http/nest', '@fbs/testing', '@fbs/testing/mocha'];

/**
 * Runs an ES module in a child node, without the fbs-source condition (so `@fbs/*` resolve to the
 * built dist/), with `require` at hand; returns what it prints as JSON.
 */
function run(script: string): any {
  const prelude = "import { createRequire } from 'node:module'; import { pathToFileURL } from 'node:url'; const require = createRequire(process.cwd() + '/');\n";
  const env = { ...process.env, NODE_OPTIONS: '' };
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', prelude + script], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out);
}

/** A throwaway directory inside the workspace (so that node finds sequelize & co. in its node_modules). */
function workspaceTemp(prefix: string): string {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  return mkdtempSync(join(root, '.tmp', prefix));
}

describe('one identity for the built packages, however they are loaded', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  before(function () {
    this.timeout(240_000);
    if (PACKAGES.some((p) => !existsSync(join(root, 'packages', p, 'dist/index.mjs')))) {
      execFileSync('pnpm', ['--filter', '@fbs/http...', '--filter', '@fbs/testing...', 'build'], { cwd: root, stdio: 'ignore', timeout: 220_000 });
    }
  });
  after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('import() and require() of every entry give the very same exports (one copy of each class and function)', () => {
    const result = run(`
      const out = {};
      for (const entry of ${JSON.stringify(ENTRIES)}) {
        const cjs = require(entry);
        const esm = await import(entry);
        const names = Object.keys(cjs).filter((k) => k !== '__esModule');
        out[entry] = {
          resolved: require.resolve(entry).replace(process.cwd(), ''),
          names: names.length,
          sameNames: JSON.stringify(names.sort()) === JSON.stringify(Object.keys(esm).filter((k) => k !== 'default').sort()),
          different: names.filter((k) => esm[k] !== cjs[k]),
        };
      }
      console.log(JSON.stringify(out));`);
    for (const entry of ENTRIES) {
      expect(result[entry].resolved, entry).to.match(/^\/packages\/\w+\/dist\/\w+\.js$/);
      expect(result[entry].names, entry).to.be.greaterThan(0);
      expect(result[entry].sameNames, entry).to.equal(true);
      expect(result[entry].different, `${entry}: exports that differ between import() and require()`).to.deep.equal([]);
    }
  });

  it('an error thrown by the required build is instanceof the imported classes (and back); so are projects', () => {
    const result = run(`
      const cjs = require('@fbs/core');
      const esm = await import('@fbs/core');
      const thrown = (fn) => { try { fn(); } catch (error) { return error; } };
      const config = { databases: { default: 'postgres://127.0.0.1:1/unused' }, apps: [] };
      const viaRequire = cjs.createProject(config);
      const viaImport = esm.createProject(config);
      const fromRequire = thrown(() => viaRequire.connection('nope'));
      const fromImport = thrown(() => viaImport.connection('nope'));
      const migrateCjs = require('@fbs/migrate');
      const migrateEsm = await import('@fbs/migrate');
      const planError = new migrateEsm.MigrationPlanError('x');
      console.log(JSON.stringify({
        names: [fromRequire?.name, fromImport?.name],
        requiredInImported: [fromRequire instanceof esm.UnknownDatabaseError, fromRequire instanceof esm.FbsError],
        importedInRequired: [fromImport instanceof cjs.UnknownDatabaseError, fromImport instanceof cjs.FbsError],
        projects: [viaRequire instanceof esm.Project, viaImport instanceof cjs.Project],
        migrate: [planError instanceof migrateCjs.MigrationPlanError, planError instanceof cjs.FbsError],
      }));
      await viaRequire.close();
      await viaImport.close();`);
    expect(result.names).to.deep.equal(['UnknownDatabaseError', 'UnknownDatabaseError']);
    expect(result.requiredInImported).to.deep.equal([true, true]);
    expect(result.importedInRequired).to.deep.equal([true, true]);
    expect(result.projects).to.deep.equal([true, true]);
    expect(result.migrate).to.deep.equal([true, true]);
  });

  it('errors of a second installed copy of @fbs/core are instanceof the first copy’s classes, by class', () => {
    const dir = workspaceTemp('identity-');
    temps.push(dir);
    const copy = join(dir, 'node_modules/@fbs/core');
    cpSync(join(root, 'packages/core/package.json'), join(copy, 'package.json'));
    cpSync(join(root, 'packages/core/dist'), join(copy, 'dist'), { recursive: true });
    // Its own dependencies, as a second install would have them (links to the same packages).
    mkdirSync(join(copy, 'node_modules'));
    for (const dep of readdirSync(join(root, 'packages/core/node_modules'))) {
      symlinkSync(realpathSync(join(root, 'packages/core/node_modules', dep)), join(copy, 'node_modules', dep));
    }
    const result = run(`
      const a = require('@fbs/core');
      const b = require(${JSON.stringify(copy)});
      const bEsm = await import(pathToFileURL(${JSON.stringify(join(copy, 'dist/index.mjs'))}).href);
      const thrown = (fn) => { try { fn(); } catch (error) { return error; } };
      const project = b.createProject({ databases: { default: 'postgres://127.0.0.1:1/unused' }, apps: [] });
      const fromB = thrown(() => project.connection('nope'));
      const fromA = new a.ConfigurationError('bad');
      const planError = new (require('@fbs/migrate').MigrationPlanError)('x');
      console.log(JSON.stringify({
        twoCopies: a.FbsError !== b.FbsError && bEsm.FbsError === b.FbsError,
        bInA: [fromB instanceof a.UnknownDatabaseError, fromB instanceof a.FbsError, fromB instanceof Error],
        bNotOtherClassOfA: [fromB instanceof a.ConfigurationError, fromB instanceof a.AppRegistryError],
        aInB: [fromA instanceof b.ConfigurationError, fromA instanceof bEsm.ConfigurationError, fromA instanceof b.FbsError, fromA instanceof b.UnknownDatabaseError],
        migrateInB: [planError instanceof b.FbsError, planError instanceof b.ConfigurationError],
        notErrors: [new Error('x') instanceof a.FbsError, ({}) instanceof b.FbsError, null instanceof b.FbsError, 'FbsError' instanceof b.FbsError],
      }));
      await project.close();`);
    expect(result.twoCopies).to.equal(true);
    expect(result.bInA).to.deep.equal([true, true, true]);
    expect(result.bNotOtherClassOfA).to.deep.equal([false, false]);
    expect(result.aInB).to.deep.equal([true, true, true, false]);
    expect(result.migrateInB).to.deep.equal([true, false]);
    expect(result.notErrors).to.deep.equal([false, false, false, false]);
  });

  it('types resolve for import (.d.mts) and require (.d.ts) consumers, and are the same types', () => {
    const dir = workspaceTemp('types-');
    temps.push(dir);
    const imports = `import { createProject, FbsError, Project, UnknownDatabaseError } from '@fbs/core';
import { startEmbeddedPostgres } from '@fbs/core/embedded';
import { MigrationPlanError, Migrator } from '@fbs/migrate';
import { SolutionManager } from '@fbs/solutions';
export const project: Project = createProject({ databases: { default: 'postgres://127.0.0.1/x' }, apps: [] });
export function aliasOf(error: unknown): string | undefined { return error instanceof UnknownDatabaseError ? error.alias : undefined; }
export const planError: FbsError = new MigrationPlanError('x');
export const used = [startEmbeddedPostgres, Migrator, SolutionManager];
`;
    writeFileSync(join(dir, 'required.cts'), imports);
    writeFileSync(join(dir, 'imported.mts'), `${imports}
import required = require('./required.cjs');
// One type identity: a Project (with #private members) from the require side is a Project of the import side.
export const same: Project = required.project;
export const back: typeof required.project = project;
`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        files: ['required.cts', 'imported.mts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    } catch (error) {
      throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout}`);
    }
  });
});
