import type { HistoryRepair } from '../../history-repair';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeError, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';
import { UsageError } from '../usage-error';

/**
 * `history forget NAME` / `history accept NAME`: repair the history of the selected databases
 * (under each one's migration lock), running nothing; a table (or `--json`) says what changed where.
 */
export async function historyCommand(kind: 'forget' | 'accept', name: string, context: CommandContext, flags: TargetFlags): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  if (databases === undefined) {
    throw new UsageError(`Say on which databases to ${kind} '${name}': --database ALIAS (repeatable), --all, --solution NAME or --all-solutions.`);
  }
  const repairs = kind === 'forget' ? await migrator.forget(name, { databases }) : await migrator.accept(name, { databases });
  if (json) writeJson(io, { action: kind, name, databases: repairs });
  else {
    const c = colorsFor(io.stdout, io.env);
    const rows = repairs.map((r: HistoryRepair) => [r.alias, r.outcome === 'failed' ? c.red('FAILED') : r.outcome === 'not-recorded' ? c.dim('not recorded (unchanged)') : r.outcome, r.before ?? '', r.after ?? '']);
    io.stdout.write(`${formatTable(['Database', `history ${kind} ${name}`, 'Checksum before', 'Checksum after'], rows, { color: c.isColorSupported })}\n`);
  }
  for (const r of repairs) if (r.error) writeError(io, r.error);
  return repairs.some((r) => r.outcome === 'failed') ? EXIT.FAILED : EXIT.OK;
}
