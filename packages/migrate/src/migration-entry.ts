import type { MigrateHints, MigrationModule } from '@fbs/core';

/** One migration of the project, resolved: namespaced name, app, module, checksum, dependencies. */
export interface MigrationEntry {
  /** `app_label/name`. */
  readonly name: string;
  readonly appLabel: string;
  /** The name inside its app (`0001_initial`). */
  readonly localName: string;
  /** Position of its app in the project's app order. */
  readonly appIndex: number;
  readonly module: MigrationModule;
  /** The file it was loaded from (folder sources). */
  readonly path: string | undefined;
  /** sha256 of the file (folder sources) or of the module's functions and options (list sources). */
  readonly checksum: string;
  /** Explicit dependencies (namespaced). */
  readonly dependencies: readonly string[];
  /** Whether it runs in a transaction with its history row (default true). */
  readonly transactional: boolean;
  /** Hints passed to `allowMigrate`: `{ modelName?, ...module.hints }`. */
  readonly hints: MigrateHints;
}
