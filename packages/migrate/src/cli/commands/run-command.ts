import type { RunReport } from '../../types';
import { attachMigrationLines } from '../migration-lines';
import { migrationsCheck } from './migrations-check';
import { attachMigrationProgressBar, attachProgressBar } from '../progress';
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
  readonly lockTimeout?: number;
  readonly continueOnError?: boolean;
  /** `up --check`: run nothing, exit 1 when anything is pending, edited, unknown or conflicting. */
  readonly check?: boolean;
  readonly fake?: boolean;
  readonly fakeInitial?: boolean;
  /** `up APP` / `--app APP`: only these apps' migrations, with their dependencies. */
  readonly app?: string[];
}

/**
 * `up` / `down`: migrate the selected databases, draw progress, print a table or JSON listing what
 * committed (also on failure) and what did not. `signal` (SIGINT/SIGTERM in the bin) stops the run
 * after the current migration: exit 130.
 */
export async function runCommand(direction: 'up' | 'down', context: CommandContext, flags: RunFlags, signal?: AbortSignal): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  if (databases === undefined) {
    throw new UsageError(
      `Say which databases to ${direction === 'up' ? 'migrate' : 'revert'}: --database ALIAS (repeatable), --all, --solution NAME or --all-solutions.`,
    );
  }
  if (flags.to !== undefined && flags.step !== undefined) throw new UsageError('Pass either --to or --step, not both.');
  if (flags.check) return migrationsCheck(context, databases, flags.concurrency);
  const c = colorsFor(io.stderr, io.env);
  const onWait = ({ alias, holder }: { alias: string; holder: string | undefined }) =>
    io.stderr.write(`${c.yellow('waiting:')} another migrator holds the lock of '${alias}'${holder ? ` (${holder})` : ''}\n`);
  if (!json) migrator.on('database:waiting', onWait);
  const onAbort = () =>
    io.stderr.write(`${c.yellow('interrupted:')} stopping after the current migration (a transactional one in flight is rolled back)…\n`);
  signal?.addEventListener('abort', onAbort, { once: true });
  const stop = json ? () => undefined : attachOutput(context, databases, direction === 'up' ? 'migrating' : 'reverting');
  let report: RunReport;
  try {
    const common = { databases, concurrency: flags.concurrency, continueOnError: flags.continueOnError, wait: flags.wait, lockTimeoutMs: flags.lockTimeout, signal, fake: flags.fake };
    report =
      direction === 'up'
        ? await migrator.up({ ...common, ...(flags.app?.length ? { apps: flags.app } : {}), fakeInitial: flags.fakeInitial, ...(flags.to !== undefined ? { to: flags.to } : { step: flags.step }) })
        : await migrator.down({ ...common, ...(flags.to !== undefined ? { to: flags.to === '0' ? 0 : flags.to } : { step: flags.step }) });
  } finally {
    stop();
    migrator.off('database:waiting', onWait);
    signal?.removeEventListener('abort', onAbort);
  }
  if (json) writeJson(io, report);
  else printReport(context, report);
  for (const run of report.databases) if (run.error) writeError(io, run.error);
  if (report.aborted) return EXIT.INTERRUPTED;
  return report.failed > 0 ? EXIT.FAILED : EXIT.OK;
}

/** Progress: outside a TTY one line per migration (stdout); on a TTY a bar (stderr) over the databases, or over the migrations of one. */
function attachOutput({ io, migrator }: CommandContext, databases: readonly string[], label: string): () => void {
  const lines = attachMigrationLines(migrator, { stream: io.stdout, aliases: databases });
  const bar = databases.length === 1 ? attachMigrationProgressBar(migrator, { stream: io.stderr, label }) : attachProgressBar(migrator, { stream: io.stderr, total: databases.length, label });
  return () => {
    lines();
    bar();
  };
}

function printReport({ io }: CommandContext, report: RunReport): void {
  const c = colorsFor(io.stdout, io.env);
  const verb = report.direction === 'up' ? 'applied' : 'reverted';
  if (report.databases.length === 0) {
    io.stdout.write('No databases selected.\n');
    return;
  }
  const withPending = report.databases.some((run) => run.pending?.length);
  const rows = report.databases.map((run) => {
    const names = report.direction === 'up' ? run.applied : run.reverted;
    const result = { ok: c.green('ok'), failed: c.red('FAILED'), aborted: c.yellow('STOPPED'), 'not-run': c.dim('not run') }[run.outcome];
    const shown = names.map((n) => (run.faked?.includes(n) ? `${n} ${c.yellow('(faked)')}` : n));
    const row = [run.alias, result, shown.length ? shown.join('\n') : c.dim(run.outcome === 'ok' ? 'nothing to do' : '-')];
    if (withPending) row.push(run.pending?.length ? run.pending.join('\n') : c.dim('-'));
    return row;
  });
  const head = ['Database', 'Result', `Migrations ${verb}`, ...(withPending ? [`Not ${verb}`] : [])];
  io.stdout.write(`${formatTable(head, rows, { color: c.isColorSupported })}\n`);
  const count = (outcome: string) => report.databases.filter((d) => d.outcome === outcome).length;
  const ok = count('ok');
  const notRun = count('not-run');
  const stopped = count('aborted');
  io.stdout.write(
    `${ok} of ${report.databases.length} database(s) ok` +
      (report.failed ? `, ${c.red(`${report.failed} failed`)}` : '') +
      (stopped ? `, ${c.yellow(`${stopped} stopped`)}` : '') +
      (notRun ? `, ${notRun} not run (${report.aborted ? 'interrupted before they started' : 'stopped after the first failure; --continue-on-error migrates the others'})` : '') +
      '.\n',
  );
  if (report.aborted) io.stdout.write(`Interrupted: every migration listed as ${verb} committed; the others did not run (or were rolled back).\n`);
}
