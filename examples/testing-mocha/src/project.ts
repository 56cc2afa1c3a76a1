import 'reflect-metadata';
import { AppLabelRouter, createProject, defineApp, type DatabaseConfig, type MigrationModule, type Project } from '@fbs/core';
import { DataTypes } from 'sequelize';
import { Customer, Invoice } from './models';

const customers: MigrationModule = {
  name: '0001_customer',
  up: ({ queryInterface }) =>
    queryInterface.createTable('shop_customer', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(80), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    }),
  down: ({ queryInterface }) => queryInterface.dropTable('shop_customer'),
};

const invoices: MigrationModule = {
  name: '0001_invoice',
  up: ({ queryInterface }) =>
    queryInterface.createTable('billing_invoice', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      customer_name: { type: DataTypes.STRING(80), allowNull: false },
      cents: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    }),
  down: ({ queryInterface }) => queryInterface.dropTable('billing_invoice'),
};

/** The shop's migrations per app. */
export const shopMigrations = { shop: [customers], billing: [invoices] };

/** The shop's databases: `default`, `billing`, and `replica` (a read replica of `default`), from the environment. */
export function shopDatabases(env: NodeJS.ProcessEnv = process.env): Record<string, DatabaseConfig> {
  const server = `postgres://${env.PGUSER ?? 'postgres'}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? 5432}`;
  return {
    default: env.SHOP_DATABASE_URL ?? `${server}/shop_db`,
    billing: env.BILLING_DATABASE_URL ?? `${server}/billing_db`,
    replica: env.SHOP_REPLICA_URL ?? `${server}/shop_db`,
  };
}

/** The shop's project: `billing` models on `billing`, `shop` models on `default` (and its replica). */
export function createShopProject(databases: Record<string, DatabaseConfig> = shopDatabases(), migrations = shopMigrations): Project {
  return createProject({
    databases,
    routers: [
      new AppLabelRouter({ billing: 'billing' }),
      // Shop tables live on `default` and its replica (which copies it), never on `billing`.
      { allowMigrate: (db, appLabel) => (appLabel === 'shop' ? db !== 'billing' : null) },
    ],
    apps: [
      defineApp({ label: 'shop', models: [Customer], migrations: migrations.shop }),
      defineApp({ label: 'billing', models: [Invoice], migrations: migrations.billing }),
    ],
  });
}
