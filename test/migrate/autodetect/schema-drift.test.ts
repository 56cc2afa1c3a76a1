import { expect } from 'chai';
import { createProject, defineApp } from '@fbs/core';
import { DataType } from 'sequelize-typescript';
import { schemaDrift } from '@fbs/migrate';
import { createDatabases, queryDatabase, testServer } from '../../harness/postgres';
import { model } from './helpers';

describe('schemaDrift (check --schema) across routed databases', function () {
  this.timeout(60_000);

  it('reads only the databases the routers migrate each app on, and reports enum values, types and missing tables', async () => {
    const [shopDb, otherDb] = (await createDatabases(2, 'make_drift')) as [string, string];
    const server = await testServer();
    const Order = model('Order', 'shop_order', {
      id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true },
      state: { type: DataType.ENUM('new', 'paid') },
      code: { type: DataType.STRING(12), allowNull: false },
    });
    const Note = model('Note', 'shop_note', { id: { type: DataType.INTEGER, primaryKey: true } });
    const project = createProject({
      databases: { default: server.url(shopDb), other: server.url(otherDb) },
      routers: [{ allowMigrate: (db, app) => (app === 'shop' ? db === 'default' : null) }],
      apps: [defineApp({ label: 'shop', models: [Order, Note] })],
    });
    try {
      await project.sync({ databases: ['default'] });
      expect(await schemaDrift(project)).to.deep.equal([]);

      await queryDatabase(shopDb, "ALTER TYPE enum_shop_order_state ADD VALUE 'void'; ALTER TABLE shop_order ALTER COLUMN code TYPE varchar(20); DROP TABLE shop_note");
      const drift = await schemaDrift(project);
      expect(drift.map((d) => [d.alias, d.table, d.object ?? null, d.kind, d.expected, d.actual ?? null])).to.deep.equal([
        ['default', 'shop_note', null, 'missing table', '1 column(s)', null],
        ['default', 'shop_order', 'code', 'column differs', 'character varying(12) NOT NULL', 'character varying(20) NOT NULL'],
        ['default', 'shop_order', 'state', 'enum differs', 'new, paid', 'new, paid, void'],
      ]);
      expect(await schemaDrift(project, { databases: ['other'] }), 'shop does not migrate on other: nothing to compare').to.deep.equal([]);
    } finally {
      await project.close();
    }
  });
});
