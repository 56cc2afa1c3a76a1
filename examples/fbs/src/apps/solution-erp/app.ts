import { defineApp } from '@fbs/core';
import * as initial from './migrations/0001_initial';
import { Customer, Order, OrderLine, Product } from './models/sales';

/** The label of the solution's ERP (Odoo-side) data, routed to `fbs_{solution}_db`. */
export const SOLUTION_ERP = 'solution_erp';

/** `solution_erp`: customers, products, orders (the seed's "Solution Odoo" business data). */
export const solutionErpApp = defineApp({ label: SOLUTION_ERP, models: [Customer, Product, Order, OrderLine], migrations: [initial] });
