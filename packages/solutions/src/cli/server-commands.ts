import { colorsFor, EXIT, formatTable, UsageError, writeJson, type ExitCode } from '@fbs/migrate/cli';
import type { SolutionsContext } from './commands';

/** `servers`: each server with its address, solutions, weight and whether it is draining. */
export async function serversCommand({ io, manager, json }: SolutionsContext): Promise<ExitCode> {
  const servers = await manager.servers.list();
  if (json) writeJson(io, { servers });
  else {
    const rows = servers.map((s) => [s.name, s.address, String(s.solutions), String(s.weight), s.draining ? 'draining' : 'open']);
    io.stdout.write(`${formatTable(['Server', 'Address', 'Solutions', 'Weight', 'Placement'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
  }
  return EXIT.OK;
}

/** Parses `--to pg2` or `--to djo=pg1,fbs=pg2`. */
export function parseTarget(value: string): string | Record<string, string> {
  if (!value.includes('=')) return value;
  const pairs = value.split(',').map((part) => part.split('='));
  if (pairs.some((p) => p.length !== 2 || !p[0] || !p[1])) throw new UsageError(`--to ${JSON.stringify(value)}: give a server (pg2) or kind=server pairs (djo=pg1,fbs=pg2).`);
  return Object.fromEntries(pairs);
}

/** `move NAME --to SERVER`: moves (or finishes / reverts an interrupted move of) one solution, printing each step on stderr. */
export async function moveCommand({ io, manager, json }: SolutionsContext, name: string, to: string): Promise<ExitCode> {
  const c = colorsFor(io.stderr, io.env);
  const report = await manager.move(name, { to: parseTarget(to), onStep: (step) => void io.stderr.write(c.dim(`${name}: ${step}…\n`)) });
  if (json) writeJson(io, report);
  else {
    const where = (servers: Readonly<Record<string, string>>) => [...new Set(Object.values(servers))].join(', ');
    if (report.reverted) io.stdout.write(`An earlier move of ${name} (interrupted at '${report.reverted}') was reverted first.\n`);
    if (report.outcome === 'already-there') io.stdout.write(`${name} is already on ${where(report.to)}; nothing to move.\n`);
    else if (report.outcome === 'finished') io.stdout.write(`Finished the interrupted move of ${name}: it is on ${where(report.to)}.\n`);
    else {
      io.stdout.write(
        `Moved ${name} from ${where(report.from)} to ${where(report.to)}: ${report.tables} tables and sequences, ${report.rows} rows verified; ` +
          `writes frozen ${(report.frozenMs / 1000).toFixed(2)} s, ${(report.totalMs / 1000).toFixed(2)} s in all.\n`,
      );
    }
  }
  return EXIT.OK;
}

/** `rebalance [--dry-run]`: proposes (and without `--dry-run` runs, one after the other) the moves that even out solutions per server. */
export async function rebalanceCommand(context: SolutionsContext, dryRun: boolean): Promise<ExitCode> {
  const { io, manager, json } = context;
  const plan = await manager.servers.rebalance();
  if (json && dryRun) {
    writeJson(io, plan);
    return EXIT.OK;
  }
  if (!json) {
    if (plan.moves.length === 0) io.stdout.write('Solutions are even across servers; no move proposed.\n');
    else {
      const rows = plan.moves.map((m) => [m.solution, m.from, m.to]);
      io.stdout.write(`${formatTable(['Solution', 'From', 'To'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
      const counts = (r: Readonly<Record<string, number>>) => Object.entries(r).map(([s, n]) => `${s}: ${n}`).join(', ');
      io.stdout.write(`Solutions per server now ${counts(plan.before)}; after these moves ${counts(plan.after)}.\n`);
    }
    for (const [solution, why] of Object.entries(plan.skipped)) io.stdout.write(`Not moved: ${solution} (${why}).\n`);
    if (dryRun) {
      if (plan.moves.length) io.stdout.write('Dry run: nothing was moved. Run without --dry-run, or fbs-solutions move NAME --to SERVER for one.\n');
      return EXIT.OK;
    }
  }
  const done = [];
  for (const move of plan.moves) done.push(await manager.move(move.solution, { to: move.to }));
  if (json) writeJson(io, { ...plan, done });
  else io.stdout.write(`Moved ${done.length} solution(s).\n`);
  return EXIT.OK;
}
