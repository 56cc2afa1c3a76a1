import type { Command } from 'commander';
import { Seeder } from '../../seeds/seeder';
import type { SeedReport } from '../../seeds/seed-types';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { colorsFor, formatTable, writeError, writeJson } from '../output';
import { attachProgressBar } from '../progress';
import { resolveTargets, type TargetFlags } from '../targets';
import { UsageError } from '../usage-error';

/** Flags of `seed`. */
export interface SeedFlags extends TargetFlags {
  readonly always?: boolean;
  readonly plan?: boolean;
  readonly concurrency?: number;
  readonly continueOnError?: boolean;
}

/** The options of `seed` (its target options are added by the program). */
export function seedOptions(command: Command, positiveInteger: (value: string) => number): Command {
  return command
    .argument('[apps...]', "only these apps' seeds (default: every app's)")
    .option('--always', 'run every seed again, also those the seed history records as run')
    .option('--plan', 'only show which seeds would run on each database; runs nothing')
    .option('--concurrency <n>', 'databases seeded at once (default 4)', positiveInteger)
    .option('--continue-on-error', 'keep seeding the other databases after one fails, and report every failure');
}

/**
 * `seed [app…]`: runs the apps' seeds on the selected databases the routers allow them on, once
 * per database (`--always`: again), each in one transaction with its seed history row.
 */
export async function seedCommand(context: CommandContext, apps: string[], flags: SeedFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  if (databases === undefined) {
    throw new UsageError('Say which databases to seed: --database ALIAS (repeatable), --all, --solution NAME or --all-solutions.');
  }
  const seeder = new Seeder(config.project, config.seeder);
  const selection = { databases, apps: apps.length ? apps : undefined };
  const c = colorsFor(io.stdout, io.env);
  if (flags.plan) {
    const plans = await seeder.plan(selection);
    if (json) writeJson(io, plans);
    else {
      const rows = plans.map((p) => [p.alias, p.pending.join('\n') || c.dim('nothing to run'), p.done.map((n) => (p.edited.includes(n) ? `${n} (edited)` : n)).join('\n') || c.dim('-')]);
      io.stdout.write(`${formatTable(['Database', 'Would run (in order)', 'Already run'], rows, { color: c.isColorSupported })}\n`);
    }
    return EXIT.OK;
  }
  const e = colorsFor(io.stderr, io.env);
  const line = ({ alias, name, durationMs }: { alias: string; name: string; durationMs: number }) =>
    io.stderr.write(`${alias}  ${name}  ${e.green('OK')} ${Math.round(durationMs)} ms\n`);
  if (!json && !io.stderr.isTTY) seeder.on('seed:done', line);
  const stop = json ? () => undefined : attachProgressBar(seeder, { stream: io.stderr, total: databases.length, label: 'seeding' });
  let report: SeedReport;
  try {
    report = await seeder.run({ ...selection, always: flags.always, concurrency: flags.concurrency, continueOnError: flags.continueOnError });
  } finally {
    stop();
    seeder.off('seed:done', line);
  }
  if (json) writeJson(io, report);
  else printReport(context, report);
  for (const run of report.databases) if (run.error) writeError(io, run.error);
  return report.failed > 0 ? EXIT.FAILED : EXIT.OK;
}

function printReport({ io }: CommandContext, report: SeedReport): void {
  const c = colorsFor(io.stdout, io.env);
  if (report.databases.length === 0) {
    io.stdout.write('No databases selected.\n');
    return;
  }
  const rows = report.databases.map((run) => [
    run.alias,
    { ok: c.green('ok'), failed: c.red('FAILED'), 'not-run': c.dim('not run') }[run.outcome],
    run.ran.join('\n') || c.dim(run.outcome === 'ok' ? 'nothing to run' : '-'),
    run.skipped.join('\n') || c.dim('-'),
    run.pending?.join('\n') || c.dim('-'),
  ]);
  io.stdout.write(`${formatTable(['Database', 'Result', 'Seeds run', 'Already run (skipped)', 'Not run'], rows, { color: c.isColorSupported })}\n`);
  const ok = report.databases.filter((d) => d.outcome === 'ok').length;
  const notRun = report.databases.filter((d) => d.outcome === 'not-run').length;
  io.stdout.write(
    `${ok} of ${report.databases.length} database(s) ok` +
      (report.failed ? `, ${c.red(`${report.failed} failed`)} (each failed seed was rolled back with its record)` : '') +
      (notRun ? `, ${notRun} not run (stopped after the first failure; --continue-on-error seeds the others)` : '') +
      '.\n',
  );
}
