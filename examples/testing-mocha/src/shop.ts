import type { Project } from '@fbs/core';
import { Customer, Invoice } from './models';

/** Signs a customer up and bills them, each database in its own transaction (the app's real code). */
export async function signUp(project: Project, name: string, cents: number): Promise<{ customer: Customer; invoice: Invoice }> {
  const customer = await project.transaction('default', () => project.model(Customer).create({ name }));
  const invoice = await project.transaction(Invoice, () => project.model(Invoice).create({ customerName: name, cents }));
  return { customer, invoice };
}

/** A report read from the replica. */
export function customerCount(project: Project): Promise<number> {
  return project.using('replica', Customer).count();
}
