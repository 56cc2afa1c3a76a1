import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { LicenseError, LicenseManager } from '../src';
import { fbsTestPlatform, rejection, type FbsTestPlatform } from './support';

describe('examples/fbs: LicenseManager (lic_system_db)', () => {
  let fbs: FbsTestPlatform;
  let licenses: LicenseManager;
  const now = new Date('2026-03-15T12:00:00Z');
  before(async function () {
    this.timeout(120_000); // creating databases is slow on a busy server
    fbs = await fbsTestPlatform('fbslic');
    licenses = new LicenseManager(fbs.project, { now: () => now });
  });
  after(async function () {
    this.timeout(120_000); // dropping databases is slow on a busy server
    await fbs?.close();
  });

  it('grant() stores one license per solution in lic_system_db, idempotently', async () => {
    await licenses.grant('acme_corp', 'basic');
    await licenses.grant('acme_corp', 'professional');
    const rows = await fbs.rows(fbs.licensing, 'fbs_license_manager_solution_license');
    expect(rows.map((r) => [r.solution_name, r.tier])).to.deep.equal([['acme_corp', 'professional']]);
  });

  it('isFeatureEnabled follows the tier, extra grants, status and expiry', async () => {
    await licenses.grant('tech_startup', 'basic', { extraFeatures: ['bi_reports'] });
    expect(await licenses.isFeatureEnabled('tech_startup', 'sales')).to.equal(true);
    expect(await licenses.isFeatureEnabled('tech_startup', 'bi_reports')).to.equal(true);
    expect(await licenses.isFeatureEnabled('tech_startup', 'inventory')).to.equal(false);
    expect(await licenses.isFeatureEnabled('nobody', 'crm')).to.equal(false);
    await licenses.grant('retail_chain', 'enterprise', { expiresAt: new Date('2026-01-01T00:00:00Z') });
    expect(await licenses.isFeatureEnabled('retail_chain', 'crm')).to.equal(false);
  });

  it('recordUsage counts per month in lic_system_db; checkLimit reports what is left', async () => {
    await licenses.grant('limited', 'trial', { limitOverrides: { api_calls: 5 } });
    expect(await licenses.recordUsage('limited', 'api_calls', 2)).to.include({ used: 2, limit: 5, remaining: 3, period: '2026-03' });
    expect(await licenses.checkLimit('limited', 'api_calls', 3)).to.include({ allowed: true, remaining: 3 });
    expect(await licenses.checkLimit('limited', 'api_calls', 4)).to.include({ allowed: false });
    const rows = await fbs.rows(fbs.licensing, 'fbs_license_manager_feature_usage');
    expect(rows.map((r) => [r.feature, r.period, r.used])).to.deep.equal([['api_calls', '2026-03', 2]]);
  });

  it('a usage over the limit is refused and records nothing', async () => {
    const error = await rejection(licenses.recordUsage('limited', 'api_calls', 4));
    expect(error).to.be.instanceOf(LicenseError);
    expect(error.message).to.contain("'limited' used 2 of 5 api_calls in 2026-03");
    const rows = await fbs.rows(fbs.licensing, 'fbs_license_manager_feature_usage');
    expect(rows.map((r) => r.used)).to.deep.equal([2]);
  });

  it('concurrent usage never goes past the limit (row lock in one licensing transaction)', async () => {
    await licenses.grant('busy', 'trial', { limitOverrides: { documents: 10 } });
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => licenses.recordUsage('busy', 'documents')));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(10);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(LicenseError);
    const [row] = await fbs.rows(fbs.licensing, 'fbs_license_manager_feature_usage').then((rs) => rs.filter((r) => r.feature === 'documents'));
    expect(row.used).to.equal(10);
  });

  it('unlicensed features, unknown solutions, unknown tiers and bad amounts are refused with the fix', async () => {
    expect(await rejection(licenses.recordUsage('tech_startup', 'inventory'))).to.be.instanceOf(LicenseError)
      .with.property('message').that.contains("Feature 'inventory' is not included in the 'basic' license");
    expect(await rejection(licenses.recordUsage('nobody', 'api_calls'))).to.be.instanceOf(LicenseError)
      .with.property('message').that.contains("grant('nobody', 'trial')");
    expect(await rejection(licenses.grant('acme_corp', 'platinum'))).to.be.instanceOf(ConfigurationError)
      .with.property('message').that.contains('Known tiers: trial, basic, professional, enterprise');
    expect(await rejection(licenses.recordUsage('acme_corp', 'api_calls', 0))).to.be.instanceOf(ConfigurationError);
    expect(await fbs.hasTable(fbs.system, 'fbs_license_manager_feature_usage')).to.equal(false);
  });
});
