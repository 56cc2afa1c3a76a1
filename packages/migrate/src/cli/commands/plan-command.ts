import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { writeNoMigrationsNote } from '../no-migrations-note';
import { colorsFor, formatTable, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';

/** `plan`: what `up` would apply per database, in order. Reads only; creates nothing. */
export async function planCommand(context: CommandContext, flags: TargetFlags): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  const plans = await migrator.plan({ databases });
  if (json) {
    writeJson(io, plans);
    return EXIT.OK;
  }
  const c = colorsFor(io.stdout, io.env);
  const rows = plans.map((p) => [p.alias, p.pending.length ? p.pending.map((n, i) => `${i + 1}. ${n}`).join('\n') : c.dim('nothing to apply'), String(p.applied.length)]);
  io.stdout.write(`${formatTable(['Database', 'Would apply (in order)', 'Applied'], rows, { color: c.isColorSupported })}\n`);
  writeNoMigrationsNote(context);
  return EXIT.OK;
}
