import { expect } from 'chai';
import sinon from 'sinon';
import { DataTypes, Model as SequelizeModel, Transaction } from 'sequelize';
import { Column, DataType, HasMany, BelongsTo, ForeignKey, Model, Sequelize, Table } from 'sequelize-typescript';
import {
  copyInstanceState,
  installTransactionNamespace,
  isFinished,
  modelsInDependencyOrder,
  builtinTypeMap,
  invalidateConnection,
  overrideRepositoryFactory,
  poolsOf,
  querySql,
  seedTypeMap,
  transactionOwner,
} from '../../packages/core/src/sequelize-internals';
import { createDatabases, testServer } from '../harness/postgres';

/**
 * Each private part of Sequelize / sequelize-typescript the SDK touches (all of them live in
 * packages/core/src/sequelize-internals.ts), checked against the installed versions on a plain
 * Sequelize: if an upgrade changes one, its test here fails and names it.
 */
describe('core seam: the private parts of Sequelize the SDK relies on', () => {
  @Table({ timestamps: false, tableName: 'seam_parent' })
  class SeamParent extends Model {
    @Column(DataType.STRING) declare name: string;
    @HasMany(() => SeamChild) declare children?: SeamChild[];
  }
  @Table({ timestamps: false, tableName: 'seam_child' })
  class SeamChild extends Model {
    @ForeignKey(() => SeamParent) @Column(DataType.INTEGER) declare parentId: number;
    @BelongsTo(() => SeamParent) declare parent?: SeamParent;
  }
  let url: string;
  before(async () => {
    const server = await testServer();
    const [db] = await createDatabases(1, 'seam');
    url = server.url(db!);
  });

  it("model methods read the transaction from this.sequelize.constructor._cls (installTransactionNamespace)", async () => {
    class Scoped extends Sequelize {}
    let ambient: Transaction | undefined;
    installTransactionNamespace(Scoped, { get: (key) => (key === 'transaction' ? ambient : undefined), set: () => undefined });
    const sequelize = new Scoped(url, { logging: false, repositoryMode: true, models: [SeamParent, SeamChild] });
    try {
      await sequelize.sync();
      const Parent = sequelize.getRepository(SeamParent);
      const t = await sequelize.transaction();
      ambient = t;
      await Parent.create({ name: 'joined' });
      ambient = undefined;
      await t.rollback();
      expect(await Parent.count({ where: { name: 'joined' } }), 'the create joined the namespace transaction').to.equal(0);
      expect((Sequelize as any)._cls, 'the base class stays untouched').to.equal(undefined);
    } finally {
      await sequelize.close();
    }
  });

  it('sequelize-typescript builds repository classes with createRepositoryModel (overrideRepositoryFactory)', async () => {
    const sequelize = new Sequelize(url, { logging: false, repositoryMode: true });
    const made: Function[] = [];
    overrideRepositoryFactory(sequelize, (modelClass) => {
      const cls = class extends (modelClass as any) {};
      made.push(cls);
      return cls as any;
    });
    sequelize.addModels([SeamParent, SeamChild]);
    expect(made).to.have.length(2);
    expect(sequelize.getRepository(SeamParent)).to.equal(made[0]);
    await sequelize.close();
  });

  it('a transaction knows its Sequelize (transactionOwner) and whether it finished (isFinished)', async () => {
    const sequelize = new Sequelize(url, { logging: false });
    try {
      const t = await sequelize.transaction();
      expect(transactionOwner(t)).to.equal(sequelize);
      expect(isFinished(t)).to.equal(false);
      await t.commit();
      expect(isFinished(t)).to.equal(true);
    } finally {
      await sequelize.close();
    }
  });

  it('the pool exposes size, using and waiting (poolsOf)', async () => {
    const sequelize = new Sequelize(url, { logging: false });
    try {
      await sequelize.query('SELECT 1');
      const [pool] = poolsOf(sequelize);
      expect(pool!.size).to.equal(1);
      expect(pool!.using).to.equal(0);
      expect(pool!.waiting).to.equal(0);
    } finally {
      await sequelize.close();
    }
  });

  it('the model manager sorts models by foreign key (modelsInDependencyOrder)', async () => {
    const sequelize = new Sequelize(url, { logging: false, repositoryMode: true, models: [SeamChild, SeamParent] });
    const order = modelsInDependencyOrder(sequelize).map((m) => m.getTableName());
    expect(order).to.deep.equal(['seam_parent', 'seam_child']);
    await sequelize.close();
  });

  it('instances keep values in dataValues, previous values in _previousDataValues, changes in _changed (copyInstanceState)', async () => {
    const sequelize = new Sequelize(url, { logging: false, repositoryMode: true, models: [SeamParent, SeamChild] });
    const Parent = sequelize.getRepository(SeamParent);
    const from = Parent.build({ id: 7, name: 'old' }, { isNewRecord: false, raw: true });
    from.name = 'new';
    const to = Parent.build({}, { isNewRecord: true });
    copyInstanceState(from, to, Object.keys(Parent.getAttributes()));
    expect(to.isNewRecord).to.equal(false);
    expect(to.get('name')).to.equal('new');
    expect(to.previous('name')).to.equal('old');
    expect(to.changed()).to.deep.equal(['name']);
    expect(to).to.be.instanceOf(SequelizeModel);
    await sequelize.close();
  });

  it('the pg dialect keeps type OIDs in connectionManager.nameOidMap; a seeded map skips the pg_type query (builtinTypeMap, seedTypeMap)', async () => {
    const first = new Sequelize(url, { logging: false });
    const sql: string[] = [];
    const second = new Sequelize(url, { logging: (q: string) => void sql.push(q) });
    try {
      expect(builtinTypeMap(first)).to.equal(undefined);
      await first.query('SELECT 1');
      const map = builtinTypeMap(first)!;
      expect(map.nameOidMap.numeric!.oid).to.equal(1700);
      expect(Object.values(map.nameOidMap).every((e) => e.oid < 16384)).to.equal(true);
      seedTypeMap(second, map, (DataTypes as any).postgres);
      const refresh = sinon.spy((second as any).connectionManager, '_refreshDynamicOIDs');
      const [rows] = await second.query(`SELECT 1.50::numeric AS n, ARRAY[1,2]::int[] AS a, '2020-01-02'::date AS d, '{"k":1}'::jsonb AS j`);
      expect(rows).to.deep.equal([{ n: '1.50', a: [1, 2], d: '2020-01-02', j: { k: 1 } }]);
      const connectionManager = (second as any).connectionManager;
      expect(Object.keys(connectionManager.nameOidMap).length).to.be.greaterThan(10);
      expect(refresh.called, 'the pg_type query is skipped').to.equal(false);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('the pool drops a connection flagged _invalid (invalidateConnection)', async () => {
    const sequelize = new Sequelize(url, { logging: false, pool: { max: 1 } });
    try {
      const connection = await (sequelize as any).connectionManager.getConnection();
      invalidateConnection(connection);
      (sequelize as any).connectionManager.releaseConnection(connection);
      const next = await (sequelize as any).connectionManager.getConnection();
      expect(next).to.not.equal(connection);
      (sequelize as any).connectionManager.releaseConnection(next);
    } finally {
      await sequelize.close();
    }
  });

  it('the afterQuery hook receives the query with its SQL in query.sql, also for a failed statement (querySql)', async () => {
    const sequelize = new Sequelize(url, { logging: false });
    const seen: (string | undefined)[] = [];
    sequelize.addHook('afterQuery', 'seam', (_options: unknown, query: unknown) => void seen.push(querySql(query)));
    try {
      await sequelize.query('SELECT 41 + 1 AS answer');
      await sequelize.query('SELECT * FROM seam_no_such_table').catch(() => undefined);
      expect(seen).to.deep.equal(['SELECT 41 + 1 AS answer', 'SELECT * FROM seam_no_such_table']);
    } finally {
      await sequelize.close();
    }
  });
});
