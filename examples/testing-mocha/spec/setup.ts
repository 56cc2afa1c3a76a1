// The @fbs/testing mocha plugin, configured with the shop's own databases: `test_shop_db` and
// `test_billing_db` (cloned from migrated templates), `replica` mirroring `default`.
import { createMochaHooks } from '@fbs/testing/mocha';
import { createShopProject, shopDatabases } from '../src/project';

export const mochaHooks = createMochaHooks({
  databases: shopDatabases(),
  project: createShopProject,
  test: { replica: { mirror: 'default' } },
  // The workspace's test runs this suite beside others: it sets a prefix of its own.
  prefix: process.env.SHOP_TEST_PREFIX ?? 'test_',
  defaults: { databases: ['default'] },
});
