import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { DataTypes } from 'sequelize';
import { AppLabelRouter, createProject, defineApp, type Project } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { SolutionManager, SolutionRouter, type DropOptions, type SolutionsConfig } from '@fbs/solutions';
import { TEMPLATES, uniqueSolution } from './fixtures/apps';
import { databasesLike } from './fixtures/cleanup';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

@Table({ tableName: 'solution_prefs_preference', timestamps: false })
class Preference extends Model {
  @Column(DataType.STRING) declare key: string;
  @Column(DataType.STRING) declare value: string;
}

@Table({ tableName: 'erp_partner', timestamps: false })
class Partner extends Model {
  @Column(DataType.STRING) declare name: string;
}

const table = (name: string, columns: Record<string, unknown>) => ({
  name: '0001_initial',
  up: ({ queryInterface, transaction }: any) => queryInterface.createTable(name, { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, ...columns }, { transaction }),
});

/** The first TypeScript block of docs/solutions.md, without its imports. */
function quickStart(): string {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/solutions.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(doc)![1]!;
  return block.replace(/^import .*$/gm, '');
}

describe('solutions: the docs quick start runs', function () {
  this.timeout(120_000);

  it('docs/solutions.md: create, route both databases, list, drop', async () => {
    const server = await testServer();
    const [system, licensing] = await createDatabases(2, 'soldoc');
    const name = uniqueSolution('doc');
    const seen: Record<string, unknown[]> = {};
    // The snippet's manager, with this run's template databases, recording the databases' rows before it drops them.
    class DocSolutionManager extends SolutionManager {
      constructor(project: Project, config: SolutionsConfig) {
        super(project, { ...config, templates: TEMPLATES });
      }
      override async drop(solution: string, options?: DropOptions): Promise<void> {
        seen.prefs = await queryDatabase(`djo_${solution}_db`, 'SELECT key, value FROM solution_prefs_preference');
        seen.partners = await queryDatabase(`fbs_${solution}_db`, 'SELECT name FROM erp_partner');
        seen.list = await this.list();
        await super.drop(solution, options);
        await this.dropTemplates();
      }
    }
    const scope = {
      AppLabelRouter, createProject, Migrator, SolutionRouter, SolutionManager: DocSolutionManager, Preference, Partner,
      databasesFromEnv: () => ({ default: server.url(system!), licensing: server.url(licensing!) }),
      coreApp: defineApp({ label: 'fbs_app' }),
      licenseApp: defineApp({ label: 'fbs_license_manager' }),
      prefsApp: defineApp({ label: 'solution_prefs', models: [Preference], migrations: [table('solution_prefs_preference', { key: DataTypes.STRING, value: DataTypes.STRING })] }),
      erpApp: defineApp({ label: 'erp', models: [Partner], migrations: [table('erp_partner', { name: DataTypes.STRING })] }),
    };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction(...Object.keys(scope), quickStart().replaceAll('acme_corp', name))(...Object.values(scope));

    expect(seen.prefs).to.deep.equal([{ key: 'theme', value: 'dark' }]);
    expect(seen.partners).to.deep.equal([{ name: 'ACME' }]);
    expect(seen.list).to.include(name);
    expect(await databasesLike(`%\\_${name}\\_db`)).to.deep.equal([]);
  });
});
