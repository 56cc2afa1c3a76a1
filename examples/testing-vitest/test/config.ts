import type { TestHooksConfig } from '@fbs/testing';
import { createShopProject, shopDatabases } from '../../testing-mocha/src/project';

/** The shop's test databases (the same settings in the global setup and in every worker). */
export const testConfig: TestHooksConfig = {
  databases: shopDatabases(),
  project: createShopProject,
  test: { replica: { mirror: 'default' } },
  prefix: process.env.SHOP_TEST_PREFIX ?? 'test_',
  defaults: { databases: ['default'] },
};
