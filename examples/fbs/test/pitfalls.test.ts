import { expect } from 'chai';
import { AppRegistryError, createProject, defineApp, MissingHintError, ModelNotOnDatabaseError } from '@fbs/core';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { Customer, FBSDatabaseRouter, licenseApp, OdooDatabase, SolutionLicense, UserPreference } from '../src';
import { fbsTestPlatform, rejection, type FbsTestPlatform } from './support';

// The seed's "Common Pitfalls", each showing what the SDK does.
describe('examples/fbs: common pitfalls', () => {
  let fbs: FbsTestPlatform;
  let acme: string;
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbspit');
    acme = fbs.solution('acme_corp');
    await fbs.createSolution(acme);
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  describe('1. forgetting app labels', () => {
    @Table({ underscored: true })
    class MyModel extends Model {
      @Column(DataType.STRING) declare name: string;
    }

    it('a model in no app is refused with the fix', () => {
      expect(() => fbs.project.model(MyModel)).to.throw(AppRegistryError, /MyModel is not registered in any app.*defineApp\(\{ label: 'my_app', models: \[MyModel\] \}\)/);
    });

    it('an app model that points at a model in no app is refused at registration', () => {
      @Table({ underscored: true })
      class Note extends Model {
        @ForeignKey(() => MyModel) @Column(DataType.INTEGER) declare myModelId: number;
        @BelongsTo(() => MyModel) declare myModel?: MyModel;
      }
      const apps = [defineApp({ label: 'fbs_app', models: [Note] }), licenseApp];
      expect(() => createProject({ databases: fbs.databases, routers: [new FBSDatabaseRouter()], apps }))
        .to.throw(AppRegistryError, /fbs_app\.Note\.myModel refers to MyModel, which is not registered in any app/);
    });

    it('an app label that is not an identifier is refused', () => {
      expect(() => defineApp({ label: 'my app', models: [MyModel] })).to.throw(AppRegistryError, /not an identifier/);
    });
  });

  describe('2. cross-database relations', () => {
    it("a foreign key from a system model to fbs_license_manager.SolutionLicense is reported by project.check()", async () => {
      @Table({ underscored: true })
      class SystemModel extends Model {
        @ForeignKey(() => SolutionLicense) @Column(DataType.INTEGER) declare licenseId: number;
        @BelongsTo(() => SolutionLicense) declare license?: SolutionLicense;
      }
      const apps = [defineApp({ label: 'fbs_app', models: [SystemModel] }), licenseApp];
      const project = createProject({ databases: fbs.databases, routers: [new FBSDatabaseRouter()], apps });
      const messages = project.check().map((p) => `${p.code} ${p.message}`);
      await project.close();
      expect(messages.join('\n')).to.match(/fbs\.E001 Association fbs_app\.SystemModel\.license → fbs_license_manager\.SolutionLicense.*'default'.*'licensing'/);
    });

    it('the correct way: a plain column and one query per database', async () => {
      await fbs.project.model(SolutionLicense).create({ solutionName: acme, tier: 'professional' });
      const odooDb = await fbs.project.model(OdooDatabase).create({ name: `fbs_${acme}_db`, solutionName: acme });
      const systemModel = (await fbs.project.model(OdooDatabase).findByPk(odooDb.id))!;
      const license = await fbs.project.model(SolutionLicense).findOne({ where: { solutionName: systemModel.solutionName! } });
      expect(license!.tier).to.equal('professional');
      expect(fbs.project.dbOf(systemModel)).to.equal('default');
      expect(fbs.project.dbOf(license)).to.equal('licensing');
    });
  });

  describe('3. ignoring database hints', () => {
    it('solution data without a hint is refused by the router before any SQL, and nothing is written anywhere', async () => {
      // The seed's router returns None here and Django falls back to default; ours refuses instead.
      expect(() => fbs.project.model(UserPreference).dbForWrite()).to.throw(MissingHintError);
      const error = await rejection(fbs.project.model(UserPreference).create({ userId: 'ada', key: 'theme', value: 'dark' }));
      expect(error).to.be.instanceOf(MissingHintError);
      expect(error.message).to.contain('solution_app.UserPreference is solution data').and.to.contain("withSolution('<solution>'");
      const readError = await rejection(fbs.project.model(Customer).findAll());
      expect(readError).to.be.instanceOf(MissingHintError);
      expect(readError.message).to.contain(".using('fbs_<solution>_db')");
      for (const db of [fbs.system, fbs.licensing]) {
        expect(await fbs.hasTable(db, 'solution_app_user_preference'), db).to.equal(false);
        expect(await fbs.hasTable(db, 'solution_erp_customer'), db).to.equal(false);
      }
      expect(await fbs.rows(`djo_${acme}_db`, 'solution_app_user_preference')).to.have.length(0);
    });

    it('with the hint it lands in the solution database', async () => {
      await fbs.project.withSolution(acme, () => fbs.project.model(UserPreference).create({ userId: 'ada', key: 'theme', value: 'dark' }));
      expect(await fbs.rows(`djo_${acme}_db`, 'solution_app_user_preference')).to.have.length(1);
    });

    it("even pinned to a system database with using('default'), it is never written there: the router kept solution tables off it", async () => {
      const error = await rejection(fbs.project.model(UserPreference).using('default').create({ userId: 'ada', key: 'theme' }));
      expect(error).to.be.instanceOf(ModelNotOnDatabaseError);
      expect(error.message).to.match(/solution_app\.UserPreference is not registered on database 'default': allowMigrate\('default', 'solution_app'\) is false/);
      expect(await fbs.hasTable(fbs.system, 'solution_app_user_preference')).to.equal(false);
    });
  });
});
