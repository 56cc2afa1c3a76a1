import { FbsError } from '@fbs/core';

/**
 * A test queried a database alias it did not declare (Django's `DatabaseOperationForbidden`).
 * Declare it: `useDatabases(this, ['default', 'licensing'])` (mocha) or `isolate({ databases })`.
 */
export class DatabaseOperationForbiddenError extends FbsError {
  readonly alias: string;
  readonly test: string;
  readonly declared: readonly string[];
  constructor(alias: string, test: string, declared: readonly string[], what: 'query' | 'transaction') {
    super(
      'FBS_DATABASE_OPERATION_FORBIDDEN',
      `Database ${what === 'query' ? 'queries' : 'transactions'} to '${alias}' are not allowed in test "${test}": it declares ` +
        `${declared.length ? declared.map((a) => `'${a}'`).join(', ') : 'no database'}. ` +
        `Add '${alias}' to its databases (e.g. databases: [${[...declared, alias].map((a) => `'${a}'`).join(', ')}]) to allow them.`,
    );
    this.alias = alias;
    this.test = test;
    this.declared = declared;
  }
}

/** `assertTenantIsolation` found rows of one solution where they do not belong. Lists every leak. */
export class TenantLeakError extends FbsError {
  readonly leaks: readonly string[];
  constructor(leaks: readonly string[]) {
    super('FBS_TENANT_LEAK', `Tenant isolation failed (${leaks.length} problem${leaks.length === 1 ? '' : 's'}):\n  - ${leaks.join('\n  - ')}`);
    this.leaks = leaks;
  }
}
