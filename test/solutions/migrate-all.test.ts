import { expect } from 'chai';
import { DataTypes } from 'sequelize';
import { MigrationFailedError, Migrator } from '@fbs/migrate';
import { SolutionManager } from '@fbs/solutions';
import { solutionProject, uniqueSolution, TEMPLATES } from './fixtures/apps';
import { dropAll } from './fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

describe('solutions: migrateAll', function () {
  this.timeout(120_000);
  let system: string;
  let names: string[];
  const managers: SolutionManager[] = [];
  before(async () => {
    system = (await createDatabases(1, 'solmig'))[0]!;
    const first = new SolutionManager(solutionProject((await testServer()).url(system)), { templates: TEMPLATES });
    managers.push(first);
    names = [uniqueSolution('mig'), uniqueSolution('mig'), uniqueSolution('mig')];
    for (const name of names) await first.create(name);
  });
  after(async () => {
    for (const m of managers.reverse()) await dropAll(m);
  });

  it('migrates every solution with bounded concurrency; one failing solution is reported and rolled back, the others are migrated', async () => {
    const broken = names[1]!;
    const project = solutionProject((await testServer()).url(system), {
      prefs: [
        {
          name: '0002_add_note',
          up: async ({ queryInterface, transaction, alias }) => {
            await queryInterface.addColumn('prefs_preference', 'note', DataTypes.STRING, { transaction });
            if (alias === `djo_${broken}_db`) throw new Error('boom in one solution');
          },
        },
      ],
    });
    const migrator = new Migrator(project, { concurrency: 2 });
    const manager = new SolutionManager(project, { migrator, templates: TEMPLATES });
    managers.push(manager);
    let running = 0;
    let most = 0;
    migrator.on('database:start', () => (most = Math.max(most, ++running)));
    migrator.on('database:done', () => running--);
    migrator.on('database:error', () => running--);
    const migrated: string[] = [];
    manager.on('migrated', ({ solution }) => migrated.push(solution));

    const report = await manager.migrateAll({ concurrency: 2 });
    expect(report.failed).to.equal(1);
    expect(most).to.be.at.most(2);
    const failed = report.solutions.find((s) => s.error)!;
    expect(failed.name).to.equal(broken);
    expect(failed.error).to.be.instanceOf(MigrationFailedError);
    expect(failed.error!.message).to.contain(`djo_${broken}_db`).and.contain('boom in one solution');
    expect(migrated.sort()).to.deep.equal(names.filter((n) => n !== broken).sort());
    for (const name of names) {
      const columns = await queryDatabase(`djo_${name}_db`, "SELECT column_name FROM information_schema.columns WHERE table_name = 'prefs_preference' AND column_name = 'note'");
      const history = await queryDatabase(`djo_${name}_db`, 'SELECT name FROM fbs_migrations ORDER BY id');
      if (name === broken) {
        expect(columns, name).to.deep.equal([]);
        expect(history.map((h) => h.name)).to.deep.equal(['prefs/0001_initial']);
      } else {
        expect(columns, name).to.have.length(1);
        expect(history.map((h) => h.name)).to.deep.equal(['prefs/0001_initial', 'prefs/0002_add_note']);
      }
    }
  });

  it('implements SolutionTargets for fbs-migrate --all-solutions', async () => {
    const manager = managers[0]!;
    expect(await manager.list()).to.include.members(names);
    expect(await manager.databases(names[0]!)).to.deep.equal([`djo_${names[0]}_db`, `fbs_${names[0]}_db`]);
    const error = await Promise.resolve()
      .then(() => manager.databases('nope_never_created'))
      .catch((e: unknown) => e);
    expect((error as Error).message).to.contain("Unknown solution 'nope_never_created'");
  });
});
