import { defineApp } from '@fbs/core';
import * as initial from './migrations/0001_initial';
import * as businessRules from './seeds/0001_business_rules';
import { ApprovalRequest, ApprovalResponse } from './models/approval';
import { BusinessRule } from './models/business-rule';
import { CacheEntry } from './models/cache-entry';
import { CustomField } from './models/custom-field';
import { Notification } from './models/notification';
import { Handshake, OdooDatabase, TokenMapping } from './models/odoo-database';
import { RequestLog } from './models/request-log';

/** The seed's `fbs_app` label: FBS core models, routed to `default` (fbs_system_db). */
export const FBS_APP = 'fbs_app';

/** The models of `fbs_app`, in the seed's order. */
export const fbsAppModels = [
  OdooDatabase, TokenMapping, RequestLog, BusinessRule, CacheEntry,
  Handshake, Notification, ApprovalRequest, ApprovalResponse, CustomField,
] as const;

/**
 * `fbs_app`: the platform's own models (Odoo connections, tokens, request logs, rules, cache,
 * handshakes, notifications, approvals, custom fields). Lives in fbs_system_db; seeds the system's business rules.
 */
export const fbsApp = defineApp({ label: FBS_APP, models: fbsAppModels, migrations: [initial], seeds: [businessRules] });
