import type { Project } from '@fbs/core';
import { ApprovalRequest, ApprovalResponse } from '../apps/fbs-app/models/approval';
import { CacheEntry } from '../apps/fbs-app/models/cache-entry';
import { CustomField } from '../apps/fbs-app/models/custom-field';
import { Notification } from '../apps/fbs-app/models/notification';
import { Handshake, OdooDatabase, TokenMapping } from '../apps/fbs-app/models/odoo-database';
import { RequestLog } from '../apps/fbs-app/models/request-log';
import { SolutionBusinessRule } from '../apps/solution-app/models/solution-business-rule';
import { SolutionSession } from '../apps/solution-app/models/solution-session';
import { SolutionSetting } from '../apps/solution-app/models/solution-setting';
import { UserPreference } from '../apps/solution-app/models/user-preference';
import { Customer, Order, OrderLine, Product } from '../apps/solution-erp/models/sales';
import { SOLUTION_DATABASES } from '../solution-databases';

/** How much sample business data each demo solution gets. */
export const DEMO_SOLUTIONS = Object.freeze({
  acme_corp: { tier: 'professional', customers: ['Wile E. Coyote', 'Road Runner Ltd', 'Acme Retail'], products: 4 },
  tech_startup: { tier: 'basic', customers: ['Ada Labs', 'Grace Systems'], products: 2 },
  retail_chain: { tier: 'trial', customers: ['Main Street Store', 'Harbour Mall', 'Airport Kiosk', 'Station Shop'], products: 6 },
} as const);

export type DemoSolution = keyof typeof DEMO_SOLUTIONS;

/** fbs_app rows in fbs_system_db: what FBS keeps about itself (its business rules come from its seed). Idempotent (keyed by natural keys). */
export async function writeSystemData(project: Project, solutions: readonly string[]): Promise<void> {
  for (const solution of solutions) {
    const [odooDb] = await project.model(OdooDatabase).findOrCreate({
      where: { name: SOLUTION_DATABASES.erp(solution) }, defaults: { name: SOLUTION_DATABASES.erp(solution), solutionName: solution },
    });
    await project.model(TokenMapping).findOrCreate({ where: { token: `tok_${solution}` }, defaults: { token: `tok_${solution}`, userId: `admin@${solution}`, odooDatabaseId: odooDb.id } });
    await project.model(Handshake).findOrCreate({ where: { clientId: `web_${solution}` }, defaults: { clientId: `web_${solution}`, status: 'completed', odooDatabaseId: odooDb.id } });
    await project.model(RequestLog).findOrCreate({ where: { path: `/api/${solution}/orders`, method: 'GET' }, defaults: { path: `/api/${solution}/orders`, method: 'GET', statusCode: 200, durationMs: 12, solutionName: solution } });
    await project.model(CustomField).findOrCreate({ where: { solutionName: solution, modelName: 'Customer', fieldName: 'loyalty_tier' }, defaults: { solutionName: solution, modelName: 'Customer', fieldName: 'loyalty_tier' } });
  }
  await project.model(CacheEntry).upsert({ key: 'license_tiers', value: Object.keys(DEMO_SOLUTIONS) });
  await project.model(Notification).findOrCreate({ where: { title: 'Welcome to FBS' }, defaults: { title: 'Welcome to FBS', recipient: 'ops@fbs.example', message: 'Three solutions are live.' } });
  const [request, created] = await project.model(ApprovalRequest).findOrCreate({
    where: { title: 'Upgrade retail_chain to basic' }, defaults: { title: 'Upgrade retail_chain to basic', requestedBy: 'owner@retail_chain', solutionName: 'retail_chain' },
  });
  if (created) await project.model(ApprovalResponse).create({ approvalRequestId: request.id, responder: 'sales@fbs.example', decision: 'approved' });
}

/**
 * A solution's own rows, written through the routed API: call it inside `project.withSolution(name, …)`.
 * Nothing here names a database; the router picks djo_{solution}_db and fbs_{solution}_db.
 */
export async function writeSolutionData(project: Project, solution: DemoSolution): Promise<void> {
  const plan = DEMO_SOLUTIONS[solution];
  await project.model(SolutionSetting).findOrCreate({ where: { key: 'currency' }, defaults: { key: 'currency', value: solution === 'retail_chain' ? 'GBP' : 'EUR' } });
  await project.model(UserPreference).findOrCreate({ where: { userId: 'owner', key: 'theme' }, defaults: { userId: 'owner', key: 'theme', value: 'dark' } });
  await project.model(SolutionSession).findOrCreate({ where: { sessionKey: `demo-${solution}` }, defaults: { sessionKey: `demo-${solution}`, userId: 'owner', expiresAt: new Date(Date.UTC(2030, 0, 1)) } });
  await project.model(SolutionBusinessRule).findOrCreate({ where: { name: 'free_shipping_over_100' }, defaults: { name: 'free_shipping_over_100', condition: { total: { gte: 100 } }, action: { shipping: 0 } } });

  const products: Product[] = [];
  for (let i = 1; i <= plan.products; i++) {
    const sku = `SKU-${String(i).padStart(3, '0')}`;
    const [product] = await project.model(Product).findOrCreate({ where: { sku }, defaults: { sku, name: `Product ${i}`, price: (9.5 * i).toFixed(2) } });
    products.push(product);
  }
  for (const [i, name] of plan.customers.entries()) {
    const [customer] = await project.model(Customer).findOrCreate({ where: { name }, defaults: { name, email: null } });
    const number = `SO-${String(i + 1).padStart(4, '0')}`;
    await project.transaction(Order, async () => {
      const [order, created] = await project.model(Order).findOrCreate({ where: { number }, defaults: { number, customerId: customer.id, status: 'confirmed' } });
      if (!created) return;
      const product = products[i % products.length]!;
      await project.model(OrderLine).create({ orderId: order.id, productId: product.id, quantity: i + 1, unitPrice: product.price });
      await order.update({ total: ((i + 1) * Number(product.price)).toFixed(2) });
    });
  }
}
