import type { CommandContext } from './command-context';
import { colorsFor } from './output';

/**
 * `status`/`plan` (text output): one line per app that ships no migration yet, with the command that
 * writes its first one (Django's "(no migrations)").
 */
export function writeNoMigrationsNote({ io, migrator }: CommandContext): void {
  const c = colorsFor(io.stdout, io.env);
  for (const label of migrator.appsWithoutMigrations()) {
    io.stdout.write(`${label}: ${c.dim(`no migrations yet (write the first with \`fbs-migrate create --app ${label} --name initial\`)`)}\n`);
  }
}
