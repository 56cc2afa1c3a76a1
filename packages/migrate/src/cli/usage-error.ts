import { FbsError } from '@fbs/core';

/** A command line that cannot run as given (a missing selection, a bad option value). Exit code 2. */
export class UsageError extends FbsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FBS_USAGE', message, options);
  }
}

const USAGE_CODES = new Set(['FBS_USAGE', 'FBS_CONFIGURATION', 'FBS_UNKNOWN_DATABASE', 'FBS_MIGRATION_PLAN', 'FBS_SEED_PLAN', 'FBS_APP_REGISTRY', 'FBS_SCHEMA']);

/**
 * Whether `error` is the user's to fix before anything runs (usage, configuration, unknown alias,
 * invalid migration graph): the CLIs exit with 2 for these. Checks `code`, so errors from another
 * copy of @fbs/core (a config loaded from the package's other build) count too.
 */
export function isUsageError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === 'string' && USAGE_CODES.has((error as { code: string }).code);
}
