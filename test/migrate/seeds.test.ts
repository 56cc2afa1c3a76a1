import path from 'node:path';
import { expect } from 'chai';
import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { defineApp, type Project, type SeedModule } from '@fbs/core';
import { Seeder, SeedFailedError, SeedPlanError } from '@fbs/migrate';
import { queryDatabase } from '../harness/postgres';
import { migratedProject, names, namedTable, SECRET, seedDatabases, seedHistory } from './seeds-helpers';

@Table({ tableName: 'lic_tier', timestamps: false })
class LicenseTier extends Model {
  @Column(DataType.STRING) declare name: string;
}

const FIXTURES = path.join(__dirname, 'fixtures/seeds');
const insert = (name: string, table: string, value: string): SeedModule => ({
  name,
  run: ({ sequelize }) => sequelize.query(`INSERT INTO ${table} (name) VALUES ('${value}')`),
});
const failing: SeedModule = {
  name: '0002_broken',
  async run({ model }) {
    await model(LicenseTier).create({ name: 'half-done' });
    throw new Error('the tier list is inconsistent');
  },
};

describe('seeds: Seeder runs each app\'s seeds once per routed database', function () {
  this.timeout(120_000); // creating databases is slow on a busy server
  let db: Record<string, string>;
  let project: Project;
  const apps = (licenseSeeds: SeedModule[] | string = [insert('0001_tiers', 'lic_tier', 'basic')]) => [
    defineApp({ label: 'fbs_app', migrations: [namedTable('fbs_setting')], seeds: [insert('0001_settings', 'fbs_setting', 'theme')] }),
    defineApp({ label: 'fbs_license_manager', models: [LicenseTier], migrations: [namedTable('lic_tier')], seeds: licenseSeeds }),
  ];
  const setUp = async (licenseSeeds?: SeedModule[] | string) => {
    const { names: physical, urls } = await seedDatabases(['default', 'licensing', 'reports']);
    db = physical;
    project = await migratedProject(urls, apps(licenseSeeds));
  };
  afterEach(() => project?.close());

  it('writes each seed into the databases its app migrates to, and records it only there', async () => {
    await setUp();
    const report = await new Seeder(project).run();
    expect(report.failed).to.equal(0);
    expect(report.databases.map((d) => [d.alias, d.outcome, d.ran])).to.deep.equal([
      ['default', 'ok', ['fbs_app/0001_settings']],
      ['licensing', 'ok', ['fbs_license_manager/0001_tiers']],
      ['reports', 'ok', []],
    ]);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await names(db.default!, 'fbs_setting')).to.deep.equal(['theme']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 1 });
    expect(await seedHistory(db.default!)).to.deep.equal({ 'fbs_app/0001_settings': 1 });
    // No seed may run on `reports`: no history table is created there.
    expect(await seedHistory(db.reports!)).to.equal(undefined);
  });

  it('runs a seed once: a second run skips what the history records; --always runs it again and counts the run', async () => {
    await setUp();
    const seeder = new Seeder(project);
    await seeder.run({ databases: ['licensing'] });
    const again = await seeder.run({ databases: ['licensing'] });
    expect(again.databases[0]).to.deep.include({ outcome: 'ok', ran: [], skipped: ['fbs_license_manager/0001_tiers'] });
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    const always = await seeder.run({ databases: ['licensing'], always: true });
    expect(always.databases[0]).to.deep.include({ ran: ['fbs_license_manager/0001_tiers'], skipped: [] });
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic', 'basic']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 2 });
  });

  it('rolls a failing seed back with its record; the seeds before it stay, those after it do not run', async () => {
    await setUp([insert('0001_tiers', 'lic_tier', 'basic'), failing, insert('0003_more', 'lic_tier', 'more')]);
    const report = await new Seeder(project).run({ databases: ['licensing', 'default'] });
    expect(report.failed).to.equal(1);
    const run = report.databases.find((d) => d.alias === 'licensing')!;
    expect(run).to.deep.include({ outcome: 'failed', ran: ['fbs_license_manager/0001_tiers'], pending: ['fbs_license_manager/0002_broken', 'fbs_license_manager/0003_more'] });
    expect(run.error).to.be.instanceOf(SeedFailedError);
    expect(run.error!.message).to.contain("Seed 'fbs_license_manager/0002_broken' failed on database 'licensing'").and.contain('the tier list is inconsistent');
    expect(run.error!.message).not.to.contain(SECRET);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    expect(await seedHistory(db.licensing!)).to.deep.equal({ 'fbs_license_manager/0001_tiers': 1 });
    // `default` was not stopped by licensing's failure (it was already running or first): by default a failure stops only databases not yet started.
    expect(['ok', 'not-run']).to.include(report.databases.find((d) => d.alias === 'default')!.outcome);
  });

  it('stops starting databases after a failure unless continueOnError', async () => {
    await setUp([failing]);
    const stopped = await new Seeder(project).run({ databases: ['licensing', 'default'], concurrency: 1 });
    expect(stopped.databases.map((d) => [d.alias, d.outcome])).to.deep.equal([['licensing', 'failed'], ['default', 'not-run']]);
    expect(await seedHistory(db.default!)).to.equal(undefined);
    const going = await new Seeder(project).run({ databases: ['licensing', 'default'], concurrency: 1, continueOnError: true });
    expect(going.databases.map((d) => [d.alias, d.outcome])).to.deep.equal([['licensing', 'failed'], ['default', 'ok']]);
    expect(await names(db.default!, 'fbs_setting')).to.deep.equal(['theme']);
  });

  it('only the routed databases of the selection, only the apps asked for; plan() says what would run and changes nothing', async () => {
    await setUp();
    const seeder = new Seeder(project);
    const plans = await seeder.plan({ databases: ['default', 'licensing'] });
    expect(plans).to.deep.equal([
      { alias: 'default', pending: ['fbs_app/0001_settings'], done: [], edited: [], notRouted: ['fbs_license_manager/0001_tiers'] },
      { alias: 'licensing', pending: ['fbs_license_manager/0001_tiers'], done: [], edited: [], notRouted: ['fbs_app/0001_settings'] },
    ]);
    expect(await seedHistory(db.licensing!)).to.equal(undefined);
    const report = await seeder.run({ databases: ['default', 'licensing'], apps: ['fbs_license_manager'] });
    expect(report.databases.map((d) => d.ran)).to.deep.equal([[], ['fbs_license_manager/0001_tiers']]);
    expect(await names(db.default!, 'fbs_setting')).to.deep.equal([]);
    await expect(seeder.run({ apps: ['fbs_licence_manager'] })).to.be.rejectedWith(SeedPlanError, /No app is labelled "fbs_licence_manager" \(did you mean 'fbs_license_manager'\?\)/);
    await expect(seeder.run({ databases: ['licencing'] })).to.be.rejectedWith(/Unknown database alias 'licencing'.*Did you mean 'licensing'/s);
  });

  it('loads seed folders: `export function run`, a default-exported function; two files of one name are refused', async () => {
    await setUp(path.join(FIXTURES, 'license_seeds'));
    const seeder = new Seeder(project);
    expect(await seeder.seeds()).to.deep.equal(['fbs_app/0001_settings', 'fbs_license_manager/0001_tiers', 'fbs_license_manager/0002_enterprise']);
    await seeder.run({ databases: ['licensing'] });
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic', 'enterprise', 'pro']);
    const twins = await migratedProject({ licensing: project.connections.config('licensing') as any }, [
      defineApp({ label: 'fbs_license_manager', seeds: path.join(FIXTURES, 'twin_seeds') }),
    ]);
    try {
      await expect(new Seeder(twins).run()).to.be.rejectedWith(SeedPlanError, /two seeds named '0001_a'.*0001_a\.js.*0001_a\.ts|two seeds named '0001_a'.*0001_a\.ts.*0001_a\.js/);
      const missing = defineApp({ label: 'nowhere', seeds: path.join(FIXTURES, 'no_such_folder') });
      await expect(new Seeder(await migratedProject({}, [missing])).seeds()).to.be.rejectedWith(SeedPlanError, /seeds folder .*no_such_folder' does not exist/);
    } finally {
      await twins.close();
    }
  });

  it('loads a seed file that imports a decorated model (`@Column declare name: string`) the way migration files load: swc, decorator metadata kept', async () => {
    await setUp(path.join(FIXTURES, 'decorated_seeds'));
    const report = await new Seeder(project).run({ databases: ['licensing'] });
    expect(report.failed, String(report.databases.find((d) => d.error)?.error)).to.equal(0);
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['typed String']);
  });

  it('two seeders at once run each seed exactly once per database', async () => {
    const slow: SeedModule = { name: '0001_tiers', run: async ({ sequelize }) => { await sequelize.query("SELECT pg_sleep(0.3); INSERT INTO lic_tier (name) VALUES ('basic')"); } };
    await setUp([slow]);
    const other = await migratedProject(Object.fromEntries(['default', 'licensing', 'reports'].map((a) => [a, project.connections.config(a) as any])), apps([slow]));
    try {
      const [a, b] = await Promise.all([new Seeder(project).run({ databases: ['licensing'] }), new Seeder(other).run({ databases: ['licensing'] })]);
      expect([...a.databases[0]!.ran, ...b.databases[0]!.ran]).to.deep.equal(['fbs_license_manager/0001_tiers']);
      expect([...a.databases[0]!.skipped, ...b.databases[0]!.skipped]).to.deep.equal(['fbs_license_manager/0001_tiers']);
      expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['basic']);
    } finally {
      await other.close();
    }
  });

  it('model(M) in the context is the model on the seeded database (the failing seed above shows it joins the transaction)', async () => {
    const viaModel: SeedModule = {
      name: '0001_tiers',
      async run({ model, alias }) {
        if (alias !== 'licensing' || model(LicenseTier).dbForWrite() !== 'licensing') throw new Error(`model() is not pinned to ${alias}`);
        await model(LicenseTier).create({ name: 'gold' });
      },
    };
    await setUp([viaModel]);
    await new Seeder(project).run({ databases: ['licensing'] });
    expect(await names(db.licensing!, 'lic_tier')).to.deep.equal(['gold']);
    const counts = await queryDatabase(db.default!, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'lic_tier'");
    expect(counts[0].n).to.equal(0);
  });
});

describe('docs/migrations.md seed examples', () => {
  it('the example seed files run as written, after the example migrations, once', async function () {
    this.timeout(120_000);
    const { mkdtemp, readFile, rm, writeFile, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const doc = await readFile(path.resolve(__dirname, '../../docs/migrations.md'), 'utf8');
    const blocks = (kind: string) => [...doc.matchAll(new RegExp(`\`\`\`ts\\n// ${kind}/(\\S+)\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => ({ file: m[1]!, code: m[2]! }));
    const seeds = blocks('seeds');
    expect(seeds.map((e) => e.file)).to.deep.equal(['0001_trial_licenses.ts']);
    const root = await mkdtemp(path.join(tmpdir(), 'fbs-doc-seeds-'));
    for (const kind of ['migrations', 'seeds']) {
      await mkdir(path.join(root, kind));
      for (const { file, code } of blocks(kind)) await writeFile(path.join(root, kind, file), code);
    }
    const { names: physical, urls } = await seedDatabases(['licensing']);
    const project = await migratedProject(urls, [defineApp({ label: 'fbs_license_manager', migrations: path.join(root, 'migrations'), seeds: path.join(root, 'seeds') })]);
    try {
      await new Seeder(project).run();
      await new Seeder(project).run();
      const rows = await queryDatabase(physical.licensing!, 'SELECT solution_name FROM fbs_license_manager_solution_license');
      expect(rows.map((r) => r.solution_name)).to.deep.equal(['demo']);
    } finally {
      await project.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
