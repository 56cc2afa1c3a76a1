import type { RunReport } from '../../types';
import { attachProgressBar } from '../progress';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeError, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';
import { UsageError } from '../usage-error';

/** Flags of `up` and `down`. */
export interface RunFlags extends TargetFlags {
  readonly to?: string;
  readonly step?: number;
  readonly concurrency?: number;
  readonly wait?: boolean;
  readonly continueOnError?: boolean;
}

/** `up` / `down`: migrate the selected databases, draw progress, print a table or JSON. */
export async function runCommand(direction: 'up' | 'down', context: CommandContext, flags: RunFlags): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  if (databases === undefined) {
    throw new UsageError(
      `Say which databases to ${direction === 'up' ? 'migrate' : 'revert'}: --database ALIAS (repeatable), --all, --solution NAME or --all-solutions.`,
    );
  }
  if (flags.to !== undefined && flags.step !== undefined) throw new UsageError('Pass either --to or --step, not both.');
  const c = colorsFor(io.stderr, io.env);
  const onWait = ({ alias, holder }: { alias: string; holder: string | undefined }) =>
    io.stderr.write(`${c.yellow('waiting:')} another migrator holds the lock of '${alias}'${holder ? ` (${holder})` : ''}\n`);
  if (!json) migrator.on('database:waiting', onWait);
  const stop = json ? () => undefined : attachProgressBar(migrator, { stream: io.stderr, total: databases.length, label: direction === 'up' ? 'migrating' : 'reverting' });
  let report: RunReport;
  try {
    const common = { databases, concurrency: flags.concurrency, continueOnError: flags.continueOnError, wait: flags.wait };
    report =
      direction === 'up'
        ? await migrator.up({ ...common, ...(flags.to !== undefined ? { to: flags.to } : { step: flags.step }) })
        : await migrator.down({ ...common, ...(flags.to !== undefined ? { to: flags.to === '0' ? 0 : flags.to } : { step: flags.step }) });
  } finally {
    stop();
    migrator.off('database:waiting', onWait);
  }
  if (json) writeJson(io, report);
  else printReport(context, report);
  for (const run of report.databases) if (run.error) writeError(io, run.error);
  return report.failed > 0 ? EXIT.FAILED : EXIT.OK;
}

function printReport({ io }: CommandContext, report: RunReport): void {
  const c = colorsFor(io.stdout, io.env);
  const verb = report.direction === 'up' ? 'applied' : 'reverted';
  if (report.databases.length === 0) {
    io.stdout.write('No databases selected.\n');
    return;
  }
  const rows = report.databases.map((run) => {
    const names = report.direction === 'up' ? run.applied : run.reverted;
    const result = run.outcome === 'ok' ? c.green('ok') : run.outcome === 'failed' ? c.red('FAILED') : c.dim('not run');
    return [run.alias, result, names.length ? names.join('\n') : c.dim(run.outcome === 'ok' ? 'nothing to do' : '-')];
  });
  io.stdout.write(`${formatTable(['Database', 'Result', `Migrations ${verb}`], rows, { color: c.isColorSupported })}\n`);
  const ok = report.databases.filter((d) => d.outcome === 'ok').length;
  const notRun = report.databases.filter((d) => d.outcome === 'not-run').length;
  io.stdout.write(
    `${ok} of ${report.databases.length} database(s) ok` +
      (report.failed ? `, ${c.red(`${report.failed} failed`)}` : '') +
      (notRun ? `, ${notRun} not run (stopped after the first failure; --continue-on-error migrates the others)` : '') +
      '.\n',
  );
}
