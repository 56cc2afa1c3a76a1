import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, writeJson } from '../output';

/**
 * `up --check` / `status --check` (CI): nothing runs; exit 1 when any selected database has a
 * pending, edited, unknown or conflicting migration, or cannot be read, with the reasons per
 * database (Django `migrate --check`, Rails `db:abort_if_pending_migrations`).
 */
export async function migrationsCheck(context: CommandContext, databases: string[] | undefined, concurrency?: number): Promise<ExitCode> {
  const { io, migrator, json } = context;
  const verdicts = await migrator.check({ databases, concurrency });
  const failing = verdicts.filter((v) => !v.ok);
  if (json) writeJson(io, { ok: failing.length === 0, databases: verdicts });
  else {
    const c = colorsFor(io.stdout, io.env);
    for (const verdict of verdicts) {
      if (verdict.ok) io.stdout.write(`${verdict.alias}: ${c.green('up to date')}\n`);
      for (const problem of verdict.problems) io.stdout.write(`${verdict.alias}: ${c.red(problem.kind)}: ${problem.message}\n`);
    }
    io.stdout.write(
      failing.length === 0
        ? `All ${verdicts.length} database(s) are up to date.\n`
        : `${failing.length} of ${verdicts.length} database(s) are not up to date.\n`,
    );
  }
  return failing.length === 0 ? EXIT.OK : EXIT.FAILED;
}
