import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { adminQuery, queryDatabase, testServer, uniqueDatabaseName } from '../harness/postgres';
import { ensureBuilt, ROOT, startBin } from './cli-harness';
import { history } from './helpers';

/** A project written the README's way: decorated models with `declare` fields and no explicit types (the types come from decorator metadata). */
const MODELS = `import { Column, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'notes', timestamps: false })
export class Note extends Model {
  @Column declare text: string;
  @Column declare done: boolean;
  @Column declare rank: number;
}
`;

const CONFIG = `import { createProject, defineApp } from '@fbs/core';
import { defineConfig } from '@fbs/migrate';
import { Note } from './models';

export default defineConfig({
  project: () => createProject({
    databases: { default: process.env.WF_DATABASE_URL! },
    routers: [{ dbForRead: () => 'default', dbForWrite: () => 'default', allowMigrate: () => true }],
    apps: [defineApp({ label: 'notes_app', models: [Note], migrations: __dirname + '/migrations/notes_app' })],
  }),
});
`;

// The migration imports the model too, and creates its table from the model's attributes.
const MIGRATION = `import type { MigrationContext } from '@fbs/core';
import { Note } from '../../models';

export async function up({ sequelize }: MigrationContext): Promise<void> {
  await sequelize.model(Note.name).sync();
}
export async function down({ queryInterface }: MigrationContext): Promise<void> {
  await queryInterface.dropTable('notes');
}
`;

describe('fbs-migrate loads TypeScript configs and migrations with decorator metadata, nothing registered', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  before(function () {
    this.timeout(180_000);
    ensureBuilt();
  });
  after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A throwaway project inside the workspace (so that node finds sequelize & co.). */
  function project(files: Record<string, string>): string {
    mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const dir = mkdtempSync(path.join(ROOT, '.tmp', 'wf-config-'));
    temps.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it("README-style models (`@Column declare text: string`): the built bin, with no ts-node, loads the config and a migration importing them; the table has the types the metadata says", async () => {
    const server = await testServer();
    const db = uniqueDatabaseName('wf');
    await adminQuery(`CREATE DATABASE "${db}"`);
    const dir = project({ 'models.ts': MODELS, 'fbs.config.ts': CONFIG, 'migrations/notes_app/0001_notes.ts': MIGRATION });
    // NODE_OPTIONS is empty: nothing is preloaded (startBin passes only PATH and these variables).
    const run = await startBin(['up', '--all'], { WF_DATABASE_URL: server.url(db), NODE_OPTIONS: '' }, dir).result;
    expect(run.code, run.stderr).to.equal(0);
    expect(await history(db)).to.deep.equal(['notes_app/0001_notes']);
    const columns = await queryDatabase(db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'notes' ORDER BY column_name");
    expect(columns).to.deep.equal([
      { column_name: 'done', data_type: 'boolean' },
      { column_name: 'id', data_type: 'integer' },
      { column_name: 'rank', data_type: 'integer' },
      { column_name: 'text', data_type: 'character varying' },
    ]);
  });

  it('an error thrown inside the config names the file and the error, and changes nothing', async () => {
    const server = await testServer();
    const db = uniqueDatabaseName('wf');
    await adminQuery(`CREATE DATABASE "${db}"`);
    const broken = CONFIG.replace("import { Note } from './models';", "import { Note } from './models';\nconst oops: number = (null as any).x;");
    const dir = project({ 'models.ts': MODELS, 'fbs.config.ts': broken, 'migrations/notes_app/0001_notes.ts': MIGRATION });
    const run = await startBin(['up', '--all'], { WF_DATABASE_URL: server.url(db), NODE_OPTIONS: '' }, dir).result;
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain(`Cannot load the config file ${path.join(dir, 'fbs.config.ts')}`);
    expect(run.stderr).to.contain("Cannot read properties of null (reading 'x')");
    expect(await history(db)).to.equal(undefined);
  });

  it("examples/fbs's own config (no ts-node registration in it) loads in the built bin with no ts-node", async () => {
    const file = path.join(ROOT, 'examples/fbs/fbs.config.ts');
    expect(readFileSync(file, 'utf8')).not.to.match(/ts-node|register\(/);
    const env = { DB_NAME: 'unused', DB_USER: 'postgres', DB_HOST: '127.0.0.1', DB_PORT: '1', LIC_DB_NAME: 'unused', LIC_DB_USER: 'postgres', LIC_DB_HOST: '127.0.0.1', LIC_DB_PORT: '1', NODE_OPTIONS: '' };
    const run = await startBin(['routes', '--json'], env, path.join(ROOT, 'examples/fbs')).result;
    expect(run.code, run.stderr).to.equal(0);
    const models = (JSON.parse(run.stdout) as { model: string }[]).map((r) => r.model);
    expect(models).to.include.members(['fbs_app.OdooDatabase', 'fbs_license_manager.SolutionLicense']);
  });
});
