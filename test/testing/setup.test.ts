import { expect } from 'chai';
import { ConfigurationError, type MigrationModule } from '@fbs/core';
import { dropTestTemplates, setupTestDatabases } from '@fbs/testing';
import { DataTypes } from 'sequelize';
import { createShopProject, shopMigrations } from '../../examples/testing-mocha/src/project';
import { Customer } from '../../examples/testing-mocha/src/models';
import { countRows, databaseOid, databasesWithPrefix, dropWithPrefix, shopConfig, uniquePrefix } from './helpers';
import { queryDatabase } from '../harness/postgres';

describe('@fbs/testing: test databases per alias (setupTestDatabases)', function () {
  // CREATE DATABASE waits for the server's other CREATE/DROP DATABASE: slow on a shared server.
  this.timeout(300_000);
  const prefixes: string[] = [];
  const prefix = () => {
    const p = uniquePrefix();
    prefixes.push(p);
    return p;
  };
  after(async () => {
    for (const p of prefixes) await dropWithPrefix(p);
  });

  it('creates one database per alias (prefix + configured name, or test.name), a mirror shares its target, all migrated; teardown drops them', async () => {
    const p = prefix();
    const db = await setupTestDatabases({ ...(await shopConfig(p)), test: { replica: { mirror: 'default' }, billing: { name: `${p}bills` } } });
    expect(db.names).to.deep.equal({ default: `${p}shop_db`, billing: `${p}bills`, replica: `${p}shop_db` });
    expect(db.provisioned).to.equal('template');
    expect(await countRows(`${p}shop_db`, 'shop_customer')).to.equal(0);
    expect(await countRows(`${p}bills`, 'billing_invoice')).to.equal(0);
    // The routers decide what is migrated where: no invoice table on the shop database.
    expect(await queryDatabase(`${p}shop_db`, "SELECT to_regclass('billing_invoice') AS t")).to.deep.equal([{ t: null }]);
    expect(await databasesWithPrefix(p)).to.have.members([`${p}shop_db`, `${p}bills`, `${p}shop_db_template`, `${p}bills_template`]);
    await db.teardown({ templates: true });
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('migrates each template once: fifty suites clone it, and it is rebuilt only when the migrations change', async () => {
    const p = prefix();
    const config = await shopConfig(p);
    const first = await setupTestDatabases(config);
    await first.teardown();
    const template = await databaseOid(`${p}shop_db_template`);
    expect(template).to.be.a('number');
    for (let i = 0; i < 3; i++) {
      const again = await setupTestDatabases(config);
      // A suite that queried outside any test transaction may leave rows: the next one clones afresh.
      expect(again.provisioned).to.equal(i === 0 ? 'recycled' : 'template');
      await again.project.model(Customer).count();
      await again.teardown();
    }
    expect(await databaseOid(`${p}shop_db_template`), 'not rebuilt for the same migrations').to.equal(template);
    // A new migration on the shop app: the template is rebuilt, and the test database has the column.
    const extra: MigrationModule = { name: '0002_email', up: ({ queryInterface }) => queryInterface.addColumn('shop_customer', 'email', { type: DataTypes.STRING }) };
    const changed = await setupTestDatabases({ ...config, project: (databases) => withShopMigration(databases, extra) });
    expect(await databaseOid(`${p}shop_db_template`), 'rebuilt').to.not.equal(template);
    expect((await queryDatabase(`${p}shop_db`, "SELECT column_name FROM information_schema.columns WHERE table_name = 'shop_customer' AND column_name = 'email'")).length).to.equal(1);
    await changed.teardown();
    await dropTestTemplates(config);
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('a clean suite hands its clones to the next suite of the process; one that committed rows does not', async () => {
    const p = prefix();
    const config = await shopConfig(p);
    const first = await setupTestDatabases(config);
    const test = await first.isolate({ title: 'rolled back', databases: '__all__' });
    await first.project.model(Customer).create({ name: 'rolled back' });
    await test.end();
    const oid = await databaseOid(`${p}shop_db`);
    await first.teardown();
    const second = await setupTestDatabases(config);
    expect(second.provisioned).to.equal('recycled');
    expect(await databaseOid(`${p}shop_db`)).to.equal(oid);
    expect(await second.project.model(Customer).count()).to.equal(0);
    // Truncate-mode tests commit: not reused either.
    const truncating = await second.isolate({ title: 'commits', isolation: 'truncate' });
    await truncating.end();
    await second.teardown();
    const third = await setupTestDatabases(config);
    expect(third.provisioned).to.equal('template');
    expect(await databaseOid(`${p}shop_db`)).to.not.equal(oid);
    third.markDirty();
    await third.teardown();
    expect(await databasesWithPrefix(p)).to.have.members([`${p}shop_db_template`, `${p}billing_db_template`]);
    await dropTestTemplates(config);
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('dropTestTemplates drops the templates and the clones every worker left for reuse', async () => {
    const p = prefix();
    for (const worker of ['1', '2', undefined]) await (await setupTestDatabases({ ...(await shopConfig(p)), worker })).teardown();
    expect(await databasesWithPrefix(p)).to.include.members([`${p}shop_db_w1`, `${p}shop_db_w2`, `${p}shop_db`, `${p}billing_db_w1`]);
    await dropTestTemplates(await shopConfig(p));
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('templates: false migrates every test database from empty', async () => {
    const p = prefix();
    const db = await setupTestDatabases({ ...(await shopConfig(p)), templates: false });
    expect(db.provisioned).to.equal('migrated');
    expect(await databasesWithPrefix(p)).to.have.members([`${p}shop_db`, `${p}billing_db`]);
    await db.teardown({ templates: true });
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('keepdb reuses the test databases of an earlier run (their committed rows too) and keeps them', async () => {
    const p = prefix();
    const config = { ...(await shopConfig(p)), keepdb: true };
    const first = await setupTestDatabases(config);
    await first.project.model(Customer).create({ name: 'kept' });
    await first.teardown({ templates: true });
    expect(await databasesWithPrefix(p)).to.include(`${p}shop_db`);
    const second = await setupTestDatabases(config);
    expect(second.provisioned).to.equal('reused');
    expect(await countRows(`${p}shop_db`, 'shop_customer')).to.equal(1);
    await second.teardown();
  });

  it('a worker id suffixes the test databases, so parallel workers never share one', async () => {
    const p = prefix();
    const [a, b] = await Promise.all([setupTestDatabases({ ...(await shopConfig(p)), worker: '1' }), setupTestDatabases({ ...(await shopConfig(p)), worker: '2' })]);
    expect(a.names.default).to.equal(`${p}shop_db_w1`);
    expect(b.names.default).to.equal(`${p}shop_db_w2`);
    await a.project.model(Customer).create({ name: 'in worker 1' });
    expect(await b.project.model(Customer).count()).to.equal(0);
    await a.teardown();
    await b.teardown({ templates: true });
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });

  it('refuses bad test settings with a clear error before creating anything', async () => {
    const p = prefix();
    const base = await shopConfig(p);
    const cases: Array<[object, RegExp]> = [
      [{ test: { replicaa: { mirror: 'default' } } }, /test\.replicaa: 'replicaa' is not one of the databases \('default', 'billing', 'replica'\)/],
      [{ test: { replica: { mirror: 'nowhere' } } }, /test\.replica\.mirror: 'nowhere' is not another of the databases/],
      [{ test: { replica: { mirror: 'billing' }, billing: { mirror: 'default' } } }, /'billing' is itself a mirror; point 'replica' at 'default'/],
      [{ test: { billing: { name: 'x'.repeat(64) } } }, /longer than 63 bytes; set test\.billing\.name/],
      [{ test: { replica: {}, billing: { name: `${p}shop_db` } } }, /would share the test database/],
    ];
    for (const [extra, message] of cases) {
      const error = await setupTestDatabases({ ...base, ...extra }).catch((e: unknown) => e);
      expect(error, String(message)).to.be.instanceOf(ConfigurationError);
      expect((error as Error).message).to.match(message);
    }
    expect(await databasesWithPrefix(p)).to.deep.equal([]);
  });
});

/** The shop project with one more migration on its `shop` app. */
function withShopMigration(databases: Parameters<typeof createShopProject>[0], extra: MigrationModule) {
  return createShopProject(databases, { ...shopMigrations, shop: [...shopMigrations.shop, extra] });
}
