import { describe, expect, it } from 'vitest';
import { Customer, Invoice } from '../../testing-mocha/src/models';
import { signUp } from '../../testing-mocha/src/shop';
import { testing } from './setup';

// This file's tests use both databases.
testing.use({ databases: ['default', 'billing'] });

describe('per-test rollback (vitest)', () => {
  it('a test that leaves rows on both databases', async () => {
    await signUp(testing.project, 'Ada', 1200);
    expect(await testing.project.model(Customer).count()).toBe(1);
    expect(await testing.project.model(Invoice).count()).toBe(1);
  });

  it('the next test finds none of them', async () => {
    expect(await testing.project.model(Customer).count()).toBe(0);
    expect(await testing.project.model(Invoice).count()).toBe(0);
  });

  it("runs on this worker's own test databases", () => {
    expect(testing.databases.names.default).toMatch(new RegExp(`shop_db_w${process.env.VITEST_POOL_ID}$`));
    if (process.env.EXPECT_SERVER_KIND) expect(testing.databases.server.kind).toBe(process.env.EXPECT_SERVER_KIND);
  });
});
