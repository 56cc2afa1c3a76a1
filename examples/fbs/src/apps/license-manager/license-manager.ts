import { ConfigurationError, type Project } from '@fbs/core';
import { LicenseError } from './license-error';
import { FeatureUsage, SolutionLicense } from './models/solution-license';
import { LICENSE_TIERS, type LicenseTier } from './tiers';

/** What a {@link LicenseManager} takes once. */
export interface LicenseManagerConfig {
  /** Tier definitions (default {@link LICENSE_TIERS}). */
  readonly tiers?: Readonly<Record<string, LicenseTier>>;
  /** The clock (usage periods are calendar months in UTC). */
  readonly now?: () => Date;
}

/** Options of {@link LicenseManager.grant}. */
export interface GrantOptions {
  readonly extraFeatures?: readonly string[];
  readonly limitOverrides?: Readonly<Record<string, number | null>>;
  readonly expiresAt?: Date | null;
}

/** A metered feature's standing in the current period. `limit`/`remaining` are null when unlimited. */
export interface LimitCheck {
  readonly feature: string;
  readonly period: string;
  readonly used: number;
  readonly limit: number | null;
  readonly remaining: number | null;
  /** Whether `amount` more units fit under the limit. */
  readonly allowed: boolean;
}

/**
 * The seed's `LicenseManager`: tiers, feature flags and monthly usage limits, stored in
 * lic_system_db through the routed API (the router sends `fbs_license_manager` to `licensing`).
 *
 * @example
 * ```ts
 * const licenses = new LicenseManager(project);
 * await licenses.grant('acme_corp', 'professional');
 * await licenses.isFeatureEnabled('acme_corp', 'inventory'); // true
 * await licenses.recordUsage('acme_corp', 'api_calls');       // { used: 1, limit: 10000, … }
 * ```
 */
export class LicenseManager {
  readonly #project: Project;
  readonly #tiers: Readonly<Record<string, LicenseTier>>;
  readonly #now: () => Date;

  constructor(project: Project, config: LicenseManagerConfig = {}) {
    this.#project = project;
    this.#tiers = Object.freeze({ ...(config.tiers ?? LICENSE_TIERS) });
    this.#now = config.now ?? (() => new Date());
  }

  /** Creates or updates the license of `solution` (idempotent). */
  async grant(solution: string, tier: string, options: GrantOptions = {}): Promise<SolutionLicense> {
    this.#tier(tier);
    const values = {
      solutionName: solution,
      tier,
      status: 'active' as const,
      extraFeatures: [...(options.extraFeatures ?? [])],
      limitOverrides: { ...options.limitOverrides },
      expiresAt: options.expiresAt ?? null,
    };
    const licenses = this.#project.model(SolutionLicense);
    const [license, created] = await licenses.findOrCreate({ where: { solutionName: solution }, defaults: values });
    if (!created) await license.update(values);
    return license;
  }

  /** The license of `solution`, or null. */
  license(solution: string): Promise<SolutionLicense | null> {
    return this.#project.model(SolutionLicense).findOne({ where: { solutionName: solution } });
  }

  /** Whether `solution` has an active, unexpired license whose tier (or extra grants) include `feature`. */
  async isFeatureEnabled(solution: string, feature: string): Promise<boolean> {
    const license = await this.license(solution);
    return license !== null && this.#usable(license) && this.#enabled(license, feature);
  }

  /** Usage of a metered feature this month against its limit, without recording anything. */
  async checkLimit(solution: string, feature: string, amount = 1): Promise<LimitCheck> {
    const license = await this.#require(solution, feature);
    const usage = await this.#project.model(FeatureUsage).findOne({ where: { solutionLicenseId: license.id, feature, period: this.#period() } });
    return this.#check(license, feature, usage?.used ?? 0, amount);
  }

  /**
   * Records `amount` units of `feature` for this month, atomically (row lock in lic_system_db).
   * Refused with a {@link LicenseError}, recording nothing, when the feature is not licensed or the
   * limit would be exceeded.
   */
  async recordUsage(solution: string, feature: string, amount = 1): Promise<LimitCheck> {
    if (!Number.isInteger(amount) || amount <= 0) {
      throw new ConfigurationError(`recordUsage(): amount must be a positive integer, got ${JSON.stringify(amount)}.`);
    }
    return this.#project.transaction(FeatureUsage, async () => {
      const license = await this.#require(solution, feature);
      const usages = this.#project.model(FeatureUsage);
      const key = { solutionLicenseId: license.id, feature, period: this.#period() };
      await usages.bulkCreate([{ ...key, used: 0 }], { ignoreDuplicates: true });
      const usage = (await usages.findOne({ where: key, lock: true }))!;
      const check = this.#check(license, feature, usage.used, amount);
      if (!check.allowed) {
        throw new LicenseError(
          solution, feature,
          `Usage limit reached: solution '${solution}' used ${check.used} of ${check.limit} ${feature} in ${check.period} ` +
            `(tier '${license.tier}'); recording ${amount} more is refused. Upgrade the tier or raise the limit with grant(…, { limitOverrides }).`,
        );
      }
      usage.used += amount;
      await usage.save();
      return this.#check(license, feature, usage.used, 0);
    });
  }

  async #require(solution: string, feature: string): Promise<SolutionLicense> {
    const license = await this.license(solution);
    if (license === null) {
      throw new LicenseError(solution, feature, `Solution '${solution}' has no license. Grant one first: grant('${solution}', 'trial').`);
    }
    if (!this.#usable(license)) {
      throw new LicenseError(solution, feature, `The license of '${solution}' is ${license.status === 'active' ? 'expired' : license.status}; renew it with grant().`);
    }
    if (!this.#enabled(license, feature)) {
      throw new LicenseError(solution, feature, `Feature '${feature}' is not included in the '${license.tier}' license of '${solution}'. Upgrade the tier or grant it as an extra feature.`);
    }
    return license;
  }

  #check(license: SolutionLicense, feature: string, used: number, amount: number): LimitCheck {
    const limit = this.#limit(license, feature);
    const remaining = limit === null ? null : Math.max(0, limit - used);
    return { feature, period: this.#period(), used, limit, remaining, allowed: limit === null || used + amount <= limit };
  }

  #usable(license: SolutionLicense): boolean {
    return license.status === 'active' && (license.expiresAt === null || license.expiresAt > this.#now());
  }

  #enabled(license: SolutionLicense, feature: string): boolean {
    const tier = this.#tier(license.tier);
    return tier.features.includes(feature) || feature in tier.limits || license.extraFeatures.includes(feature) || feature in license.limitOverrides;
  }

  #limit(license: SolutionLicense, feature: string): number | null {
    if (feature in license.limitOverrides) return license.limitOverrides[feature] ?? null;
    return this.#tier(license.tier).limits[feature] ?? null;
  }

  #tier(name: string): LicenseTier {
    const tier = this.#tiers[name];
    if (tier === undefined) {
      throw new ConfigurationError(`Unknown license tier ${JSON.stringify(name)}. Known tiers: ${Object.keys(this.#tiers).join(', ')}.`);
    }
    return tier;
  }

  #period(): string {
    return this.#now().toISOString().slice(0, 7);
  }
}
