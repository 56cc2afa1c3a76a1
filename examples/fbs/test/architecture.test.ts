import { expect } from 'chai';
import { RelationNotAllowedError, createProject, defineApp } from '@fbs/core';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import {
  Customer, FBSDatabaseRouter, fbsApp, licenseApp, OdooDatabase, Order, SolutionLicense, UserPreference,
} from '../src';
import { fbsTestPlatform, type FbsTestPlatform } from './support';

// The seed's "Testing the Architecture": models land on their database, cross-database relations are refused.
describe('examples/fbs: testing the architecture', () => {
  let fbs: FbsTestPlatform;
  let acme: string;
  let tech: string;
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbsarch');
    acme = fbs.solution('acme_corp');
    tech = fbs.solution('tech_startup');
    await fbs.createSolution(acme);
    await fbs.createSolution(tech);
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  it('FBS models go to default (fbs_system_db)', async () => {
    const odooDb = await fbs.project.model(OdooDatabase).create({ name: `fbs_${acme}_db`, solutionName: acme });
    expect(fbs.project.dbOf(odooDb)).to.equal('default');
    expect((await fbs.rows(fbs.system, 'fbs_app_odoo_database')).map((r) => r.name)).to.deep.equal([`fbs_${acme}_db`]);
    expect(await fbs.hasTable(fbs.licensing, 'fbs_app_odoo_database')).to.equal(false);
  });

  it('license models go to licensing (lic_system_db)', async () => {
    const license = await fbs.project.model(SolutionLicense).create({ solutionName: acme, tier: 'basic' });
    expect(fbs.project.dbOf(license)).to.equal('licensing');
    expect((await fbs.rows(fbs.licensing, 'fbs_license_manager_solution_license')).map((r) => r.solution_name)).to.deep.equal([acme]);
    expect(await fbs.hasTable(fbs.system, 'fbs_license_manager_solution_license')).to.equal(false);
  });

  it('solution models go to the databases of the solution named by withSolution', async () => {
    await fbs.project.withSolution(acme, async () => {
      const pref = await fbs.project.model(UserPreference).create({ userId: 'ada', key: 'theme', value: 'dark' });
      const customer = await fbs.project.model(Customer).create({ name: 'Ada Ltd' });
      expect(fbs.project.dbOf(pref)).to.equal(`djo_${acme}_db`);
      expect(fbs.project.dbOf(customer)).to.equal(`fbs_${acme}_db`);
    });
    expect(await fbs.rows(`djo_${acme}_db`, 'solution_app_user_preference')).to.have.length(1);
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_customer')).map((r) => r.name)).to.deep.equal(['Ada Ltd']);
    expect(await fbs.rows(`fbs_${tech}_db`, 'solution_erp_customer')).to.have.length(0);
    expect(await fbs.hasTable(`djo_${acme}_db`, 'solution_erp_customer')).to.equal(false);
    expect(await fbs.hasTable(`fbs_${acme}_db`, 'solution_app_user_preference')).to.equal(false);
  });

  it('relations work inside one database (a customer and its orders in fbs_{solution}_db)', async () => {
    await fbs.project.withSolution(tech, async () => {
      const customer = await fbs.project.model(Customer).create({ name: 'Grace Inc' });
      await fbs.project.model(Order).create({ number: 'SO-1', customerId: customer.id });
      const [order] = await fbs.project.model(Order).findAll({ include: [Customer] });
      expect(order!.customer!.name).to.equal('Grace Inc');
      expect(fbs.project.dbOf(order!.customer)).to.equal(`fbs_${tech}_db`);
    });
  });

  it('a relation between rows of two solutions is refused with the SDK error', async () => {
    const order = await fbs.project.withSolution(acme, () => fbs.project.model(Order).create({ number: 'SO-X' }));
    const stranger = await fbs.project.withSolution(tech, () => fbs.project.model(Customer).create({ name: 'Not acme' }));
    let error: unknown;
    try {
      await order.$set('customer', stranger);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RelationNotAllowedError);
    expect((error as Error).message).to.contain(`fbs_${acme}_db`).and.to.contain(`fbs_${tech}_db`);
    expect((await fbs.rows(`fbs_${acme}_db`, 'solution_erp_order')).find((r) => r.number === 'SO-X').customer_id).to.equal(null);
  });

  it("the seed's odoo_db.licenses (fbs_system_db → lic_system_db) is reported by project.check(), naming both databases", async () => {
    @Table({ underscored: true, tableName: 'fbs_app_odoo_database' })
    class OdooDatabaseWithLicenses extends Model {
      @Column(DataType.STRING) declare name: string;
      @ForeignKey(() => SolutionLicense) @Column(DataType.INTEGER) declare licenseId: number;
      @BelongsTo(() => SolutionLicense) declare license?: SolutionLicense;
    }
    const apps = [defineApp({ label: 'fbs_app', models: [...fbsApp.models, OdooDatabaseWithLicenses] }), licenseApp];
    const project = createProject({ databases: fbs.databases, routers: [new FBSDatabaseRouter()], apps });
    const problem = project.check().find((p) => p.code === 'fbs.E001');
    await project.close();
    expect(problem!.message).to.match(/fbs_app\.OdooDatabaseWithLicenses\.license → fbs_license_manager\.SolutionLicense/);
    expect(problem!.objects).to.include.members(['default', 'licensing']);
  });
});
