import type { MigrateHints, SeedModule } from '@fbs/core';

/** One seed of the project, resolved: namespaced name, app, module, checksum, routing hints. */
export interface SeedEntry {
  /** `app_label/name`. */
  readonly name: string;
  readonly appLabel: string;
  /** The name inside its app (`0001_tiers`). */
  readonly localName: string;
  readonly module: SeedModule;
  /** The file it was loaded from (folder sources). */
  readonly path: string | undefined;
  /** sha256 of the file (folder sources) or of `run`'s source and the options (list sources). */
  readonly checksum: string;
  /** Hints passed to `allowMigrate`: `{ modelName?, ...module.hints }`. */
  readonly hints: MigrateHints;
}
