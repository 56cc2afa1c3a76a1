import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runInProcess } from '../cli-harness';
import { createDatabases, queryDatabase, testServer } from '../../harness/postgres';
import { tempMigrations } from './helpers';

const CWD = path.join(__dirname, '../fixtures/make');

describe('fbs-migrate make (CLI, in process)', function () {
  this.timeout(120_000);
  let database: string;
  let databases: string;
  const folders: string[] = [];

  before(async () => {
    [database] = (await createDatabases(1, 'make_cli')) as [string];
    databases = JSON.stringify({ default: (await testServer()).url(database) });
  });
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  const folder = () => {
    const f = tempMigrations();
    folders.push(f);
    return f;
  };
  const cli = (argv: string[], migrations: string, variant = '', options: { tty?: boolean; answers?: string[] } = {}) =>
    runInProcess(argv, { FBS_TEST_DATABASES: databases, FBS_MAKE_MIGRATIONS: migrations, FBS_MAKE_VARIANT: variant }, { cwd: CWD, ...options });
  const columns = async (table: string) =>
    (await queryDatabase<{ column_name: string }>(database, 'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name', [table])).map((r) => r.column_name);
  const reset = () => queryDatabase(database, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');

  it('--check exits 1 with the missing changes and writes nothing; make writes a TS migration and the snapshot; then --check exits 0', async () => {
    const dir = folder();
    const check = await cli(['make', '--check'], dir);
    expect(check.code, check.stderr).to.equal(1);
    expect(check.stdout).to.contain("Missing migration for 'shop'").and.contain('create table shop_item (id, stock, title) with index shop_item_stock');
    expect(readdirSync(dir)).to.deep.equal([]);

    const make = await cli(['make'], dir);
    expect(make.code, make.stderr).to.equal(0);
    expect(readdirSync(dir).sort()).to.deep.equal(['0001_initial.ts', '_schema.json']);
    expect(make.stdout).to.contain(path.join(dir, '0001_initial.ts'));

    const again = await cli(['make', '--check'], dir);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.equal('No changes detected.\n');

    const json = await cli(['--json', 'make', '--check'], dir, 'note');
    expect(json.code).to.equal(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.changed).to.equal(true);
    expect(parsed.apps[0].changes).to.deep.equal(['add column shop_item.note text NULL']);
    expect(parsed.apps[0].name).to.equal('shop/0002_add_shop_item_note');
  });

  it('writes JavaScript when the app already has JavaScript migrations, and the file applies with up', async () => {
    await reset();
    const dir = folder();
    writeFileSync(path.join(dir, '0001_start.js'), 'exports.up = async () => {};\nexports.down = async () => {};\nexports.effect = [];\n');
    const make = await cli(['make', 'shop', '--name', 'items'], dir);
    expect(make.code, make.stderr).to.equal(0);
    expect(readdirSync(dir).sort()).to.deep.equal(['0001_start.js', '0002_items.js', '_schema.json']);
    expect(readFileSync(path.join(dir, '0002_items.js'), 'utf8')).to.contain('exports.up = async').and.not.contain('import type');
    const up = await cli(['up', '--all'], dir);
    expect(up.code, up.stderr + up.stdout).to.equal(0);
    expect(await columns('shop_item')).to.deep.equal(['id', 'stock', 'title']);
  });

  it('refuses to guess a rename without a terminal, naming the candidates and --rename; a terminal answer or --rename makes a rename', async () => {
    const dir = folder();
    expect((await cli(['make'], dir)).code).to.equal(0);
    const refused = await cli(['make'], dir, 'renamed');
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain('column shop_item.title was removed and label added').and.contain('--rename shop_item.title:label').and.contain('--no-rename-detection');
    expect(readdirSync(dir).sort()).to.deep.equal(['0001_initial.ts', '_schema.json']);

    const asked = await cli(['make', '--check'], dir, 'renamed', { tty: true, answers: ['y'] });
    expect(asked.stderr).to.contain('Was column shop_item.title renamed to label? [y/N]');
    expect(asked.stdout).to.contain('rename column shop_item.title to label');

    const declined = await cli(['make', '--check'], dir, 'renamed', { tty: true, answers: ['n'] });
    expect(declined.stdout).to.contain('add column shop_item.label').and.contain('remove column shop_item.title');

    const flagged = await cli(['make', '--rename', 'shop_item.title:label'], dir, 'renamed');
    expect(flagged.code, flagged.stderr).to.equal(0);
    expect(readFileSync(path.join(dir, '0002_rename_shop_item_title_label.ts'), 'utf8')).to.contain("queryInterface.renameColumn('shop_item', 'title', 'label')");

    const unused = await cli(['make', '--rename', 'shop_item.nope:other'], dir, 'renamed');
    expect(unused.code).to.equal(2);
    expect(unused.stderr).to.contain('--rename shop_item.nope:other: nothing matches');
  });

  it("a hand-written migration's declared effect counts; one without it is warned about", async () => {
    const dir = folder();
    expect((await cli(['make'], dir)).code).to.equal(0);
    const effect = "[{ op: 'addColumn', table: 'shop_item', column: 'note', definition: { type: 'text', allowNull: true } }]";
    writeFileSync(path.join(dir, '0002_note.ts'), `export const effect = ${effect};\nexport async function up({ sequelize }: any) { await sequelize.query('ALTER TABLE shop_item ADD COLUMN note text'); }\nexport async function down({ sequelize }: any) { await sequelize.query('ALTER TABLE shop_item DROP COLUMN note'); }\n`);
    const declared = await cli(['make', '--check'], dir, 'note');
    expect(declared.code, declared.stdout).to.equal(0);

    // (new file names: the in-process runs share jiti's module cache)
    rmSync(path.join(dir, '0002_note.ts'));
    writeFileSync(path.join(dir, '0002_plain.ts'), "export async function up({ sequelize }: any) { await sequelize.query('ALTER TABLE shop_item ADD COLUMN note text'); }\n");
    const undeclared = await cli(['make', '--check'], dir, 'note');
    expect(undeclared.code).to.equal(1);
    expect(undeclared.stderr).to.contain('shop/0002_plain declares no `effect`');
    expect(undeclared.stdout).to.contain('add column shop_item.note');

    rmSync(path.join(dir, '0002_plain.ts'));
    writeFileSync(path.join(dir, '0002_broken.ts'), "export const effect = [{ op: 'addColumn', table: 'nowhere', column: 'x', definition: { type: 'text', allowNull: true } }];\nexport async function up() {}\n");
    const broken = await cli(['make', '--check'], dir, 'note');
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.contain("shop/0002_broken's effect, operation 1 (addColumn): table 'nowhere' does not exist");
  });

  it('--from-database takes the snapshot from a database migrated by hand; make then finds nothing to do', async () => {
    await reset();
    const dir = folder();
    writeFileSync(path.join(dir, '0001_by_hand.ts'), `export async function up({ sequelize }: any) {
  await sequelize.query('CREATE TABLE shop_item (id serial PRIMARY KEY, title varchar(255) NOT NULL, stock integer DEFAULT 0)');
  await sequelize.query('CREATE INDEX shop_item_stock ON shop_item (stock)');
}
export async function down({ sequelize }: any) { await sequelize.query('DROP TABLE shop_item'); }
`);
    expect((await cli(['up', '--all'], dir)).code).to.equal(0);
    const boot = await cli(['make', '--from-database', 'default'], dir);
    expect(boot.code, boot.stderr).to.equal(0);
    expect(boot.stdout).to.contain("Snapshot of 'shop' taken from 'default' (1 table(s), through 0001_by_hand)").and.contain('No changes detected.');
    expect(readdirSync(dir).sort()).to.deep.equal(['0001_by_hand.ts', '_schema.json']);
    const snapshot = JSON.parse(readFileSync(path.join(dir, '_schema.json'), 'utf8'));
    expect(snapshot.through).to.equal('0001_by_hand');
    expect(Object.keys(snapshot.schema.tables.shop_item.columns)).to.deep.equal(['id', 'stock', 'title']);
    const check = await cli(['make', '--check'], dir);
    expect(check.code, check.stdout).to.equal(0);
    expect(check.stderr, 'the snapshot covers the hand-written migration').to.equal('');
    const both = await cli(['make', '--check', '--from-database', 'default'], dir);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.contain('run them separately');
  });

  it('check --schema finds a column added by hand and a missing index (table and --json); exit 0 while they match', async () => {
    await reset();
    const dir = folder();
    expect((await cli(['make'], dir)).code).to.equal(0);
    expect((await cli(['up', '--all'], dir)).code).to.equal(0);
    const clean = await cli(['check', '--schema'], dir);
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.contain('matches the models');

    await queryDatabase(database, 'ALTER TABLE shop_item ADD COLUMN secret text; DROP INDEX shop_item_stock; ALTER TABLE shop_item ALTER COLUMN stock SET DEFAULT 5');
    const table = await cli(['check', '--schema', '--database', 'default'], dir);
    expect(table.code).to.equal(1);
    expect(table.stdout).to.match(/shop_item\.secret\s*│\s*extra column/).and.match(/shop_item\.shop_item_stock\s*│\s*missing index/).and.match(/shop_item\.stock\s*│\s*column differs/);
    expect(table.stdout).to.contain('3 difference(s)');

    const json = await cli(['--json', 'check', '--schema'], dir);
    expect(json.code).to.equal(1);
    const drift = JSON.parse(json.stdout).drift.map((d: any) => [d.alias, d.table, d.object, d.kind, d.expected ?? null, d.actual ?? null]);
    expect(drift).to.deep.include.members([
      ['default', 'shop_item', 'secret', 'extra column', null, 'text NULL'],
      ['default', 'shop_item', 'shop_item_stock', 'missing index', '(stock)', null],
      ['default', 'shop_item', 'stock', 'column differs', 'integer NULL DEFAULT 0', 'integer NULL DEFAULT 5'],
    ]);
    expect(drift).to.have.length(3);

    const misuse = await cli(['check', '--database', 'default'], dir);
    expect(misuse.code).to.equal(2);
    expect(misuse.stderr).to.contain('add --schema');
  });
});
