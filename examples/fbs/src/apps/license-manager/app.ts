import { defineApp } from '@fbs/core';
import * as initial from './migrations/0001_initial';
import { FeatureUsage, SolutionLicense } from './models/solution-license';

/** The seed's `fbs_license_manager` label, routed to `licensing` (lic_system_db). */
export const LICENSE_APP = 'fbs_license_manager';

/** `fbs_license_manager`: licenses and feature usage. Lives in lic_system_db. */
export const licenseApp = defineApp({ label: LICENSE_APP, models: [SolutionLicense, FeatureUsage], migrations: [initial] });
