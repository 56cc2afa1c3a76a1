import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';

/**
 * `plan --sql` / `sqlmigrate NAME`: the SQL each pending migration (or NAME) would run on each
 * selected database, captured in a transaction that is rolled back; `transaction: false` ones are
 * listed as not previewable. Exit 1 when a dry run failed.
 */
export async function sqlCommand(context: CommandContext, flags: TargetFlags, name?: string): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  const previews = await migrator.sql({ databases, name });
  if (json) writeJson(io, previews);
  else {
    const c = colorsFor(io.stdout, io.env);
    for (const preview of previews) {
      if (preview.migrations.length === 0) io.stdout.write(c.dim(`-- ${preview.alias}: ${name ? `${name} is not routed here` : 'nothing to apply'}\n`));
      for (const m of preview.migrations) {
        io.stdout.write(`${c.bold(`-- ${preview.alias}: ${m.name}`)}${m.reason ? c.yellow(` (${m.reason})`) : ''}\n`);
        for (const statement of m.sql) io.stdout.write(`${statement.trimEnd().replace(/;?$/, ';')}\n`);
      }
    }
  }
  return previews.some((p) => p.migrations.some((m) => m.failed)) ? EXIT.FAILED : EXIT.OK;
}
