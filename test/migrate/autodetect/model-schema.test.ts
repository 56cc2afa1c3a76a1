import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createProject, defineApp } from '@fbs/core';
import { BelongsToMany, DataType } from 'sequelize-typescript';
import { canonicalType, makeMigrations, modelSchemas, normalizeDefault, parseRename, SchemaError } from '@fbs/migrate';
import { model, tempMigrations } from './helpers';

// A project whose only database cannot be reached: make must not need it.
const offline = (models: any[], migrations?: string) =>
  createProject({ databases: { default: 'postgres://postgres@127.0.0.1:1/none' }, apps: [defineApp({ label: 'shop', models, migrations })] });

describe('make: models → schema (no database)', () => {
  const folders: string[] = [];
  after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

  it('reads types, null, defaults, keys, references and indexes in PostgreSQL spelling', () => {
    const Customer = model('Customer', 'shop_customer', { id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true } });
    const Order = model('Order', 'shop_order', {
      id: { type: DataType.BIGINT, primaryKey: true, autoIncrement: true },
      code: { type: DataType.STRING(12), allowNull: false, unique: true },
      price: { type: DataType.DECIMAL(10, 2), defaultValue: 0 },
      state: { type: DataType.ENUM('new', 'paid'), defaultValue: 'new' },
      at: { type: DataType.DATE, defaultValue: DataType.NOW },
      customerId: { type: DataType.INTEGER, belongsTo: () => Customer },
    }, { indexes: [{ fields: ['price', 'code'] }, { name: 'by_state', fields: [{ name: 'state' } as any], unique: true }] });
    const schema = modelSchemas(offline([Customer, Order])).get('shop')!;
    expect(schema.enums).to.deep.equal({ enum_shop_order_state: ['new', 'paid'] });
    expect(schema.tables.shop_order!.columns).to.deep.equal({
      at: { type: 'timestamp with time zone', allowNull: true },
      code: { type: 'character varying(12)', allowNull: false, unique: true },
      customerId: { type: 'integer', allowNull: true, references: { table: 'shop_customer', column: 'id', onDelete: 'NO ACTION', onUpdate: 'CASCADE' } },
      id: { type: 'bigint', allowNull: false, primaryKey: true, autoIncrement: true },
      price: { type: 'numeric(10,2)', allowNull: true, default: '0' },
      state: { type: 'enum', enum: 'enum_shop_order_state', allowNull: true, default: "'new'" },
    });
    expect(schema.tables.shop_order!.indexes).to.deep.equal({ shop_order_price_code: { fields: ['price', 'code'], unique: false }, by_state: { fields: ['state'], unique: true } });
  });

  it('refuses what it does not generate, naming the model and the fix', () => {
    const cases: [any[], RegExp][] = [
      [[model('A', 'a', { x: { type: DataType.STRING, unique: 'a_x_key' } })], /shop\.A\.x: named unique keys .* declare @Table\(\{ indexes/],
      [[model('B', 'b', { x: { type: DataType.STRING } }, { indexes: [{ fields: ['x'], where: { x: 'y' } }] })], /shop\.B: index .* uses where/],
      [[model('C', 'c', { x: { type: DataType.ARRAY(DataType.ENUM('a')) } })], /shop\.C\.x: ARRAY\(ENUM\)/],
    ];
    const Tag = model('Tag', 'shop_tag', { id: { type: DataType.INTEGER, primaryKey: true } });
    const Post = model('Post', 'shop_post', { id: { type: DataType.INTEGER, primaryKey: true } });
    BelongsToMany(() => Tag as any, 'shop_post_tags', 'postId', 'tagId')(Post.prototype, 'tags');
    cases.push([[Tag, Post], /shop\.Post\.tags: belongsToMany generates the through table 'shop_post_tags', which no app declares/]);
    for (const [models, message] of cases) {
      expect(() => modelSchemas(offline(models))).to.throw(SchemaError, message);
    }
  });

  it('spells types and defaults the way format_type() and pg_get_expr() do', () => {
    expect(['VARCHAR(255)', 'INTEGER', 'FLOAT', 'DECIMAL(10, 2)', 'TIMESTAMP WITH TIME ZONE', 'BOOLEAN', 'INTEGER[]', 'UUID'].map(canonicalType)).to.deep.equal([
      'character varying(255)', 'integer', 'double precision', 'numeric(10,2)', 'timestamp with time zone', 'boolean', 'integer[]', 'uuid',
    ]);
    expect(["'draft'::character varying", "'-1'::integer", '(0)', "'a::b'::text", 'CURRENT_TIMESTAMP', "'new'::\"enum_t_s\""].map(normalizeDefault)).to.deep.equal([
      "'draft'", '-1', '0', "'a::b'", 'now()', "'new'",
    ]);
  });

  it('writes the same files for the same models, and nothing once they are migrated', async () => {
    const build = () => [model('Item', 'shop_item', { id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true }, title: { type: DataType.TEXT } })];
    const [a, b] = [tempMigrations(), tempMigrations()];
    folders.push(a, b);
    const [first] = await makeMigrations(offline(build(), a));
    const [second] = await makeMigrations(offline(build(), b));
    for (const file of ['0001_initial.ts', '_schema.json']) {
      expect(readFileSync(path.join(a, file), 'utf8')).to.equal(readFileSync(path.join(b, file), 'utf8'));
    }
    expect(first!.changes).to.deep.equal(second!.changes).and.deep.equal(['create table shop_item (id, title)']);
    const [again] = await makeMigrations(offline(build(), a));
    expect(again).to.deep.include({ operations: [], changes: [] });
    expect(again!.file).to.equal(undefined);
  });

  it("a foreign key to another app's table depends on that app's latest migration; one --rename list serves several apps", async () => {
    const [shopDir, billingDir] = [tempMigrations(), tempMigrations()];
    folders.push(shopDir, billingDir);
    const build = (invoiceColumn: string) => {
      const Customer = model('Customer', 'shop_customer', { id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true } });
      const Invoice = model('Invoice', 'billing_invoice', {
        id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true },
        [invoiceColumn]: { type: DataType.TEXT },
        customerId: { type: DataType.INTEGER, references: { model: 'shop_customer', key: 'id' } },
      });
      return createProject({
        databases: { default: 'postgres://postgres@127.0.0.1:1/none' },
        apps: [defineApp({ label: 'shop', models: [Customer], migrations: shopDir }), defineApp({ label: 'billing', models: [Invoice], migrations: billingDir })],
      });
    };
    const results = await makeMigrations(build('memo'));
    expect(results.map((r) => r.name)).to.deep.equal(['shop/0001_initial', 'billing/0001_initial']);
    expect(readFileSync(path.join(billingDir, '0001_initial.ts'), 'utf8')).to.contain('export const dependencies: string[] = ["shop/0001_initial"];');
    const renamed = await makeMigrations(build('note'), { renames: [parseRename('billing_invoice.memo:note')] });
    expect(renamed.map((r) => r.changes)).to.deep.equal([[], ['rename column billing_invoice.memo to note']]);
  });

  it('rebuilds a deleted snapshot from the migrations\' effects, byte for byte', async () => {
    const dir = tempMigrations();
    folders.push(dir);
    const build = (extra: boolean) => [model('Item', 'shop_item', {
      id: { type: DataType.INTEGER, primaryKey: true, autoIncrement: true },
      state: { type: DataType.ENUM('a', 'b') },
      ...(extra ? { note: { type: DataType.TEXT, defaultValue: 'x' } } : {}),
    }, { indexes: [{ fields: ['state'] }] })];
    await makeMigrations(offline(build(false), dir));
    await makeMigrations(offline(build(true), dir));
    const snapshot = readFileSync(path.join(dir, '_schema.json'), 'utf8');
    expect(JSON.parse(snapshot).through).to.equal('0002_add_shop_item_note');
    rmSync(path.join(dir, '_schema.json'));
    const [rebuilt] = await makeMigrations(offline(build(true), dir));
    expect(rebuilt!.operations).to.deep.equal([]);
    expect(rebuilt!.snapshot).to.equal(path.join(dir, '_schema.json'));
    expect(readFileSync(path.join(dir, '_schema.json'), 'utf8')).to.equal(snapshot);
  });
});

