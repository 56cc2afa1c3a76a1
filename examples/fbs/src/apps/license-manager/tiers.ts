/** What a license tier grants: feature flags, and monthly limits of metered features (`null` = unlimited). */
export interface LicenseTier {
  readonly features: readonly string[];
  readonly limits: Readonly<Record<string, number | null>>;
}

/**
 * The license tiers of the example (the seed's "license tier definitions"). Metered features
 * (`api_calls`, `documents`) are enabled by every tier and bounded by the tier's monthly limit.
 */
export const LICENSE_TIERS: Readonly<Record<string, LicenseTier>> = Object.freeze({
  trial: { features: ['crm'], limits: { api_calls: 100, documents: 20 } },
  basic: { features: ['crm', 'sales'], limits: { api_calls: 1_000, documents: 500 } },
  professional: { features: ['crm', 'sales', 'inventory', 'accounting', 'workflows'], limits: { api_calls: 10_000, documents: 5_000 } },
  enterprise: {
    features: ['crm', 'sales', 'inventory', 'accounting', 'workflows', 'bi_reports', 'multi_company'],
    limits: { api_calls: null, documents: null },
  },
});
