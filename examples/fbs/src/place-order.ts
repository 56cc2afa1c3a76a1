import { ConfigurationError } from '@fbs/core';
import { RequestLog } from './apps/fbs-app/models/request-log';
import { FeatureUsage } from './apps/license-manager/models/solution-license';
import { SolutionSetting } from './apps/solution-app/models/solution-setting';
import { Customer, Order, OrderLine, Product } from './apps/solution-erp/models/sales';
import type { FbsPlatform } from './platform';

/** The body of `POST /api/{solution}/orders`. */
export interface PlaceOrderRequest {
  /** Idempotency key: a request replayed with the same number returns the first order and writes nothing. */
  readonly number: string;
  readonly customer: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

/** One database access of a request, for people: what was touched, and where. */
export interface RequestStep {
  readonly step: string;
  readonly model: string;
  readonly database: string;
}

/** What {@link placeOrder} returns. */
export interface PlaceOrderResult {
  readonly order: Order;
  readonly currency: unknown;
  /** True when the order existed already (a replay): nothing was written. */
  readonly replayed: boolean;
  readonly steps: readonly RequestStep[];
}

/**
 * One request of an application built on FBS, end to end: inside the solution's scope it records
 * the API call against the license (lic_system_db), reads a setting (djo_{solution}_db), writes the
 * order in one transaction (fbs_{solution}_db) and logs the request (fbs_system_db). No line names
 * a database: the router decides each one.
 *
 * @example
 * ```ts
 * const { order, steps } = await placeOrder(fbs, 'acme_corp', { number: 'WEB-1', customer: 'Ada', lines: [{ sku: 'SKU-001', quantity: 2 }] });
 * ```
 */
export async function placeOrder(fbs: FbsPlatform, solution: string, request: PlaceOrderRequest): Promise<PlaceOrderResult> {
  const { project, licenses, solutions } = fbs;
  const started = Date.now();
  const steps: RequestStep[] = [];
  const note = (step: string, model: string, alias: string) => steps.push({ step, model, database: project.connections.config(alias).database });
  return solutions.withSolution(solution, async () => {
    const orders = project.model(Order);
    const existing = await orders.findOne({ where: { number: request.number } });
    note('look up the idempotency key', orders.meta.label, orders.dbForRead());
    const settings = project.model(SolutionSetting);
    const currency = (await settings.findOne({ where: { key: 'currency' } }))?.value;
    note('read the currency setting', settings.meta.label, settings.dbForRead());
    if (existing) return { order: existing, currency, replayed: true, steps };

    const usage = await licenses.recordUsage(solution, 'api_calls');
    note(`record api_calls usage (${usage.used} this month)`, 'fbs_license_manager.FeatureUsage', project.model(FeatureUsage).dbForWrite());

    const order = await project.transaction(Order, async () => {
      const [customer] = await project.model(Customer).findOrCreate({ where: { name: request.customer }, defaults: { name: request.customer, email: null } });
      const products = await project.model(Product).findAll({ where: { sku: request.lines.map((l) => l.sku) } });
      const created = await orders.create({ number: request.number, customerId: customer.id, status: 'confirmed' });
      let total = 0;
      for (const line of request.lines) {
        const product = products.find((p) => p.sku === line.sku);
        if (!product) throw new ConfigurationError(`Unknown product ${JSON.stringify(line.sku)} in solution '${solution}'.`);
        await project.model(OrderLine).create({ orderId: created.id, productId: product.id, quantity: line.quantity, unitPrice: product.price });
        total += line.quantity * Number(product.price);
      }
      return created.update({ total: total.toFixed(2) });
    });
    note('write customer, order and lines in one transaction', orders.meta.label, project.dbOf(order)!);

    const logs = project.model(RequestLog);
    const log = await logs.create({ method: 'POST', path: `/api/${solution}/orders`, statusCode: 201, durationMs: Date.now() - started, solutionName: solution });
    note('log the request', logs.meta.label, project.dbOf(log)!);
    return { order, currency, replayed: false, steps };
  });
}
