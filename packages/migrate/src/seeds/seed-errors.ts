import { FbsError } from '@fbs/core';
import { describeCause } from '../errors';

/**
 * The seeds of the project are invalid (a module without `run`, two seeds with one name, a missing
 * folder) or a call names an app that has none. Raised before anything runs.
 */
export class SeedPlanError extends FbsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FBS_SEED_PLAN', message, options);
  }
}

/**
 * A seed failed on one database. It ran in one transaction with its history row: neither its rows
 * nor its record remain. Names the database (alias and redacted address), the seed and the cause.
 */
export class SeedFailedError extends FbsError {
  readonly alias: string;
  readonly seed: string;
  constructor(alias: string, address: string, seed: string, cause: unknown) {
    super(
      'FBS_SEED_FAILED',
      `Seed '${seed}' failed on database '${alias}' (${address}): ${describeCause(cause)}. It was rolled back: none of its rows and no history record remain.`,
      { cause },
    );
    this.alias = alias;
    this.seed = seed;
  }
}
