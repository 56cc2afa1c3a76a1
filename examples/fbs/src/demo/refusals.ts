import { createProject, defineApp, FbsError, SystemCheckError, type DatabaseConfig, type Project } from '@fbs/core';
import { BelongsTo, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import type { LicenseManager } from '../apps/license-manager/license-manager';
import { licenseApp } from '../apps/license-manager/app';
import { SolutionLicense } from '../apps/license-manager/models/solution-license';
import { Customer, Order } from '../apps/solution-erp/models/sales';
import { FBSDatabaseRouter } from '../router';

/** The seed's `odoo_db.licenses`: an Odoo database (fbs_system_db) pointing at a license (lic_system_db). */
@Table({ tableName: 'fbs_app_odoo_database', underscored: true })
class OdooDatabaseWithLicense extends Model {
  @Column(DataType.STRING) declare name: string;
  @ForeignKey(() => SolutionLicense) @Column(DataType.INTEGER) declare solutionLicenseId: number;
  @BelongsTo(() => SolutionLicense) declare license?: SolutionLicense;
}

/** One thing the platform refuses, and the SDK error it refuses it with. */
export interface Refusal {
  readonly attempt: string;
  readonly error: FbsError | Error | undefined;
}

async function refusal(attempt: string, run: () => unknown): Promise<Refusal> {
  try {
    await run();
    return { attempt, error: undefined };
  } catch (error) {
    return { attempt, error: error as Error };
  }
}

/** Tries what the seed's "Common Pitfalls" warn about, and collects the errors. Writes nothing. */
export async function tryPitfalls(
  project: Project, databases: { default: DatabaseConfig; licensing: DatabaseConfig }, licenses: LicenseManager,
): Promise<Refusal[]> {
  const order = await project.withSolution('acme_corp', () => project.model(Order).findOne({ order: [['id', 'ASC']] }));
  const stranger = await project.withSolution('tech_startup', () => project.model(Customer).findOne({ order: [['id', 'ASC']] }));
  return [
    await refusal('Declare OdooDatabase.license → SolutionLicense (fbs_system_db → lic_system_db): project.check()', async () => {
      const apps = [defineApp({ label: 'fbs_app', models: [OdooDatabaseWithLicense] }), licenseApp];
      const declared = createProject({ databases, routers: [new FBSDatabaseRouter()], apps });
      const problems = declared.check().filter((p) => p.level === 'error');
      await declared.close();
      if (problems.length > 0) throw new SystemCheckError(problems);
    }),
    await refusal("Relate an acme_corp order to a tech_startup customer (fbs_acme_corp_db ↔ fbs_tech_startup_db)", () => order!.$set('customer', stranger!)),
    await refusal('Create a Customer without withSolution() (no database hint)', () => project.model(Customer).create({ name: 'Nobody' })),
    await refusal("Record 'inventory' usage for retail_chain (trial tier)", () => licenses.recordUsage('retail_chain', 'inventory')),
  ];
}
