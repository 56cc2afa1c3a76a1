import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import ts from 'typescript';
import { createProject, defineApp } from '@fbs/core';
import { createDatabases, queryDatabase, testServer } from './harness/postgres';

const root = resolve(__dirname, '..');
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** The ```ts blocks of README.md and docs/*.md that start with `// example: NAME`. */
function examples(): Map<string, { file: string; code: string }> {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const found = new Map<string, { file: string; code: string }>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/```ts\n\/\/ example: ([\w-]+)\n([\s\S]*?)```/g)) found.set(m[1]!, { file, code: m[2]! });
  }
  return found;
}

/** Compiles an example (decorators, metadata, top-level await) and runs it; returns its exports and what it logged. */
async function run(code: string): Promise<{ exports: Record<string, any>; logged: unknown[][] }> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
  }).outputText;
  const logged: unknown[][] = [];
  const exports: Record<string, any> = {};
  await new AsyncFunction('require', 'exports', 'module', 'console', js)(require, exports, { exports }, { ...console, log: (...a: unknown[]) => logged.push(a) });
  return { exports, logged };
}

describe('examples in the README and docs run', () => {
  const all = examples();

  it('finds the examples', () => {
    expect([...all.keys()]).to.include.members(['readme', 'seed-router']);
  });

  it('README: two databases and a router', async () => {
    const server = await testServer();
    const [system, licensing] = await createDatabases(2, 'readme');
    const code = all.get('readme')!.code
      .replace('postgres://localhost/fbs_system_db', server.url(system!))
      .replace('postgres://localhost/lic_system_db', server.url(licensing!));
    const { logged } = await run(code);
    expect(logged).to.deep.equal([['licensing']]);
    const licenses = await queryDatabase(licensing!, 'SELECT "solutionName", tier FROM fbs_license_manager_solution_license');
    expect(licenses).to.deep.equal([{ solutionName: 'acme_corp', tier: 'enterprise' }]);
    expect(await queryDatabase(system!, 'SELECT key FROM fbs_app_system_setting')).to.deep.equal([{ key: 'theme' }]);
    const systemTables = await queryDatabase(system!, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(systemTables.map((t) => t.table_name), 'project.sync() keeps licensing tables off the system database').to.deep.equal(['fbs_app_system_setting']);
  });

  it("docs/routing.md: the seed's FBSDatabaseRouter decides like the seed", async () => {
    const { exports } = await run(all.get('seed-router')!.code);
    const router = new exports.FBSDatabaseRouter();
    const meta = (appLabel: string) => ({ appLabel, modelName: 'M', label: `${appLabel}.M`, model: class {} as any });
    expect(router.dbForRead(meta('fbs_license_manager'), {})).to.equal('licensing');
    expect(router.dbForWrite(meta('fbs_app'), { database: 'djo_x_db' })).to.equal('default');
    expect(router.dbForRead(meta('solution_app'), { database: 'djo_acme_corp_db' })).to.equal('djo_acme_corp_db');
    expect(router.dbForRead(meta('solution_app'), {})).to.equal(null);
    expect(router.allowMigrate('licensing', 'fbs_license_manager')).to.equal(true);
    expect(router.allowMigrate('default', 'fbs_license_manager')).to.equal(false);
    expect(router.allowMigrate('default', 'fbs_app')).to.equal(true);
    expect(router.allowMigrate('default', 'solution_app')).to.equal(null);
    const project = createProject({ databases: { default: 'postgres://127.0.0.1/x', licensing: 'postgres://127.0.0.1/y' }, routers: [router], apps: [defineApp({ label: 'fbs_app' })] });
    expect(project.router.allowMigrate('default', 'solution_app'), "the chain reads the seed's None as allowed").to.equal(true);
    await project.close();
  });
});
