import type { SeedContext } from '@fbs/core';
import { BusinessRule } from '../models/business-rule';

export const name = '0001_business_rules';

/** The platform's system-wide business rules (fbs_system_db): `fbs-migrate seed --database default`. */
export async function run({ model }: SeedContext): Promise<void> {
  const rules = model(BusinessRule);
  await rules.findOrCreate({ where: { name: 'suspend_on_unpaid_invoice' }, defaults: { name: 'suspend_on_unpaid_invoice', condition: { unpaidDays: 30 }, action: { suspend: true } } });
  await rules.findOrCreate({ where: { name: 'notify_on_limit_80' }, defaults: { name: 'notify_on_limit_80', condition: { usage: 0.8 }, action: { notify: 'owner' } } });
}
