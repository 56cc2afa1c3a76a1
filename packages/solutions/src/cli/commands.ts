import { attachProgressBar, colorsFor, EXIT, formatTable, writeJson, type CliIo, type ExitCode } from '@fbs/migrate';
import type { SolutionManager } from '../solution-manager';
import type { SolutionInfo } from '../solution-info';
import type { ProvisionedVia } from '../events';

/** What each command gets. */
export interface SolutionsContext {
  readonly io: CliIo;
  readonly manager: SolutionManager;
  readonly json: boolean;
}

const databasesOf = (info: SolutionInfo) => Object.values(info.databases).join(', ');

/** `create NAME...`: creates (or finishes) each solution; all names are checked before anything runs. */
export async function createCommand({ io, manager, json }: SolutionsContext, names: string[]): Promise<ExitCode> {
  for (const name of names) manager.validate(name);
  const rows: { solution: SolutionInfo; databases: Record<string, ProvisionedVia> }[] = [];
  for (const name of names) {
    const via: Record<string, ProvisionedVia> = {};
    const track = (e: { solution: string; database: string; via: ProvisionedVia }) => {
      if (e.solution === name) via[e.database] = e.via;
    };
    manager.on('database:created', track);
    try {
      rows.push({ solution: await manager.create(name), databases: via });
    } finally {
      manager.off('database:created', track);
    }
  }
  if (json) writeJson(io, { solutions: rows.map((r) => ({ ...r.solution, provisioned: r.databases })) });
  else {
    const table = rows.map(({ solution, databases }) => [
      solution.name,
      databasesOf(solution),
      Object.keys(databases).length ? Object.entries(databases).map(([db, v]) => `${db}: ${v}`).join(', ') : 'already existed',
    ]);
    io.stdout.write(`${formatTable(['Solution', 'Databases', 'Created'], table, { color: Boolean(io.stdout.isTTY) })}\n`);
  }
  return EXIT.OK;
}

/** `list`: the catalogue (ready solutions; `--all` adds interrupted ones). */
export async function listCommand({ io, manager, json }: SolutionsContext, all: boolean): Promise<ExitCode> {
  const records = (await manager.records()).filter((r) => all || r.state === 'ready');
  if (json) writeJson(io, { solutions: records });
  else if (records.length === 0) io.stdout.write('No solutions. Create one with: fbs-solutions create NAME\n');
  else {
    const rows = records.map((r) => [r.name, r.state, databasesOf(r), r.createdAt.toISOString()]);
    io.stdout.write(`${formatTable(['Solution', 'State', 'Databases', 'Created at'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
  }
  return EXIT.OK;
}

/** `drop NAME --confirm NAME`. */
export async function dropCommand({ io, manager, json }: SolutionsContext, name: string, confirm: string | undefined): Promise<ExitCode> {
  const info = await manager.info(name);
  await manager.drop(name, { confirm });
  if (json) writeJson(io, { dropped: name, databases: info ? Object.values(info.databases) : [] });
  else io.stdout.write(`Dropped solution ${name}${info ? ` (${databasesOf(info)})` : ''}.\n`);
  return EXIT.OK;
}

/** `migrate [--solution NAME]... [--concurrency N]`: every (or the named) solution, with a progress bar on a TTY. */
export async function migrateCommand({ io, manager, json }: SolutionsContext, solutions: string[] | undefined, concurrency: number | undefined): Promise<ExitCode> {
  const migrator = await manager.migrator();
  const names = solutions?.length ? solutions : await manager.list();
  const stop = attachProgressBar(migrator as any, { stream: io.stderr, total: names.length * manager.naming.kinds.length, label: 'migrating' });
  let report;
  try {
    report = await manager.migrateAll({ solutions: names, concurrency });
  } finally {
    stop();
  }
  if (json) writeJson(io, report);
  else {
    const c = colorsFor(io.stdout, io.env);
    const rows = report.solutions.map((s) => {
      const applied = Object.values(s.applied).reduce((n, a) => n + a.length, 0);
      return [s.name, String(applied), s.error ? c.red(`failed: ${s.error.message}`) : c.green('ok')];
    });
    io.stdout.write(`${formatTable(['Solution', 'Applied', 'Result'], rows, { color: Boolean(io.stdout.isTTY) })}\n`);
    if (report.failed) io.stderr.write(`${report.failed} of ${report.solutions.length} solution(s) failed; the others are migrated.\n`);
  }
  return report.failed ? EXIT.FAILED : EXIT.OK;
}
