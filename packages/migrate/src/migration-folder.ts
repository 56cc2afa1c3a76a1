import { memoryStorage, Umzug } from 'umzug';

/** Migration file extensions a folder may hold (declaration files excluded). */
export const MIGRATION_GLOB = '*.{js,cjs,mjs,ts,cts,mts}';

/**
 * An Umzug over a folder of migration files, used to find them (umzug's glob resolution) and to
 * create new ones (`umzug.create`). Files are not loaded until a migration runs.
 */
export function folderUmzug(dir: string): Umzug<object> {
  return new Umzug({
    migrations: { glob: [MIGRATION_GLOB, { cwd: dir, ignore: ['*.d.ts', '*.d.cts', '*.d.mts'] }] },
    storage: memoryStorage(),
    logger: undefined,
    create: { folder: dir },
  });
}
