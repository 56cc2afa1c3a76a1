import { expect } from 'chai';
import { ConfigurationError, createProject } from '@fbs/core';
import { SolutionManager, SolutionNaming, SolutionRouter, solutionHintsFor } from '@fbs/solutions';
import { solutionProject } from './fixtures/apps';

describe('solutions: configuration', () => {
  const project = () => solutionProject('postgres://postgres@127.0.0.1:5432/fbs_never_connected');

  it('refuses bad configuration with an error naming the value and the fix, before connecting', async () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => new SolutionManager(project(), { databases: { djo: 'djo_db' } }), /must contain '\{name\}' once/],
      [() => new SolutionManager(project(), { databases: { DJO: 'djo_{name}_db' } }), /kind "DJO" must be a lowercase identifier/],
      [() => new SolutionManager(project(), { databases: { a: 'x_{name}', b: 'x_{name}' } }), /same template/],
      [() => new SolutionManager(project(), { pool: { maxConnections: 0 } }), /pool.maxConnections must be a positive integer, got 0/],
      [() => new SolutionManager(project(), { pool: { perSolution: 1 } }), /perSolution must be at least 2/],
      [() => new SolutionManager(project(), { templates: { name: 'tpl' } }), /templates.name "tpl" must start with 'template'/],
      [() => new SolutionManager(project(), { roles: { password: 'secret' as any } }), /roles.password must be a function/],
      [() => new SolutionManager(project(), { roles: { password: () => 'x', name: 'role' } }), /roles.name "role" must contain '\{name\}'/],
      [() => new SolutionManager(project(), { systemAlias: 'system' }), /system database alias 'system'.*is not configured/],
      [() => new SolutionManager(project(), { catalogueTable: 'bad-table' }), /catalogueTable "bad-table" must be a lowercase identifier/],
      [() => new SolutionManager(createProject({ databases: { default: 'mysql://u@localhost/db' } })), /need PostgreSQL/],
      [() => new SolutionRouter({ apps: { erp: 'odoo' } }), /app 'erp' maps to unknown kind 'odoo'/],
    ];
    for (const [make, message] of cases) expect(make).to.throw(ConfigurationError, message);
  });

  it('maps names to databases and back', () => {
    const naming = new SolutionNaming();
    expect(naming.databases('acme_corp')).to.deep.equal({ djo: 'djo_acme_corp_db', fbs: 'fbs_acme_corp_db' });
    expect(naming.parse('fbs_acme_corp_db')).to.deep.equal({ kind: 'fbs', solution: 'acme_corp' });
    expect(naming.parse('fbs_system')).to.equal(undefined);
    expect(naming.parse('djo__db')).to.equal(undefined);
    expect(solutionHintsFor({ app: 'app_{name}', erp: 'erp_{name}' })('acme')).to.deep.equal({ solution: 'acme', database: 'app_acme' });
    expect(solutionHintsFor()('acme')).to.deep.equal({ solution: 'acme', database: 'djo_acme_db' });
  });

  it('SolutionRouter sends each app to its kind of the current solution, and keeps migrations there', () => {
    const router = new SolutionRouter({ apps: { prefs: 'djo', erp: 'fbs' } });
    const meta = (appLabel: string) => ({ appLabel, modelName: 'M', label: `${appLabel}.M`, model: class {} as any });
    expect(router.dbForRead(meta('erp'), { solution: 'acme' })).to.equal('fbs_acme_db');
    expect(router.dbForWrite(meta('prefs'), { solution: 'acme' })).to.equal('djo_acme_db');
    expect(router.dbForRead(meta('erp'), {})).to.equal(null);
    expect(router.dbForRead(meta('fbs_app'), { solution: 'acme' })).to.equal(null);
    expect(router.allowMigrate('fbs_acme_db', 'erp')).to.equal(true);
    expect(router.allowMigrate('djo_acme_db', 'erp')).to.equal(false);
    expect(router.allowMigrate('djo_template_db', 'prefs')).to.equal(true);
    expect(router.allowMigrate('djo_acme_db', 'fbs_app')).to.equal(false);
    expect(router.allowMigrate('default', 'fbs_app')).to.equal(null);
  });
});
