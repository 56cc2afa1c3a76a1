import { performance } from 'node:perf_hooks';
import createDebug from 'debug';
import type { MoveJournal } from './catalogue';
import { SolutionMoveError, SolutionStateError, UnknownSolutionError } from './errors';
import { compareSums, databaseSums, freezeDatabase, thawDatabase } from './move-sql';
import { findPgTools, pgCopy, type PgToolsConfig } from './pg-copy';
import { describePlacement, type LifecycleHost } from './solution-lifecycle';
import type { WriteFreeze } from './write-freeze';

const log = createDebug('fbs:solutions:move');

/**
 * The steps of a move, in order. The journal (the solution's catalogue row) records the step begun
 * last; the catalogue's servers switch in the same statement that records `switch`. An interrupted
 * move is reverted by the next `move()` when it stopped before `switch` (target copies dropped,
 * source writable again), and finished when it stopped after (source dropped).
 */
export const MOVE_STEPS = ['journal', 'prepare', 'freeze', 'copy', 'verify', 'switch', 'cleanup'] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

/** Options of `move()`. */
export interface MoveOptions {
  /** The target server, or one per database kind. */
  readonly to: string | Readonly<Record<string, string>>;
  /** Awaited before each step (progress; tests pause here to kill the process). */
  readonly onStep?: (step: MoveStep) => void | Promise<void>;
  /** Where pg_dump / pg_restore are. */
  readonly tools?: PgToolsConfig;
  /** How long the freeze waits for calls of this process already inside the solution (ms). Default 2 000. */
  readonly drainMs?: number;
}

/** What `move()` did. */
export interface MoveReport {
  readonly solution: string;
  readonly from: Readonly<Record<string, string>>;
  readonly to: Readonly<Record<string, string>>;
  /** `moved`; `already-there` (nothing to do); `finished` (an interrupted move's cleanup was finished). */
  readonly outcome: 'moved' | 'already-there' | 'finished';
  /** The step an interrupted earlier move was reverted at, if any. */
  readonly reverted?: MoveStep;
  /** Tables and sequences verified, and their rows. */
  readonly tables: number;
  readonly rows: number;
  /** How long the solution's writes were frozen (ms). */
  readonly frozenMs: number;
  readonly totalMs: number;
}

/** What a move needs besides the lifecycle's host. */
export interface MoveHost extends LifecycleHost {
  readonly freeze: WriteFreeze;
}

/** Moves `solution` (see {@link MOVE_STEPS}); under the solution's lock, so create/drop/move of it wait. */
export async function moveSolution(host: MoveHost, solution: string, options: MoveOptions): Promise<MoveReport> {
  const started = performance.now();
  const { naming, catalogue, servers } = host;
  const target = typeof options.to === 'string' ? Object.fromEntries(naming.kinds.map((k) => [k, options.to as string])) : { ...options.to };
  for (const kind of naming.kinds) {
    if (typeof target[kind] !== 'string') throw new SolutionMoveError(solution, `move('${solution}'): no target server for its ${kind} database; pass { to: 'pg2' } or { to: { ${naming.kinds.map((k) => `${k}: 'pg2'`).join(', ')} } }.`);
    servers.get(target[kind]!);
  }
  const tools = findPgTools(options.tools);
  if ('missing' in tools) throw new SolutionMoveError(solution, `Cannot move '${solution}': ${tools.missing} Nothing was changed.`);
  return host.lockAdmin.withLock(`fbs_solutions:${solution}`, async () => {
    let record = await catalogue.get(solution);
    if (!record) throw new UnknownSolutionError(solution, 'it is not in the catalogue, so there is nothing to move. List the solutions with `fbs-solutions list`.');
    if (record.state !== 'ready') throw new SolutionStateError(solution, `Solution '${solution}' is '${record.state}', not ready; finish its create or drop before moving it.`);
    let reverted: MoveStep | undefined;
    let finished = false;
    if (record.move) {
      if (record.move.step === 'switch' || record.move.step === 'cleanup') {
        await cleanup(host, solution, record.move);
        finished = true;
      } else {
        reverted = record.move.step as MoveStep;
        await revert(host, solution, record.move);
      }
      record = (await catalogue.get(solution))!;
    }
    const from = record.servers;
    const moving = naming.kinds.filter((k) => from[k] !== target[k]);
    const base = { solution, from, to: target, tables: 0, rows: 0, frozenMs: 0, ...(reverted ? { reverted } : {}) };
    if (moving.length === 0) return { ...base, outcome: finished ? 'finished' : 'already-there', totalMs: performance.now() - started };
    const databases = record.databases;
    for (const kind of moving) {
      const { admin } = servers.get(target[kind]!);
      const found = await admin.session((s) => admin.dialect.existingDatabases(s, [databases[kind]!]));
      if (found.size) throw new SolutionMoveError(solution, `Cannot move '${solution}': database ${databases[kind]} already exists on server '${target[kind]}' and is not a copy of this move. Drop it there or pick another server. Nothing was changed.`);
    }
    const journal: MoveJournal = { from, to: target, step: 'journal', startedAt: new Date().toISOString() };
    const step = async (name: MoveStep, work: () => Promise<void>) => {
      await options.onStep?.(name);
      if (name !== 'journal' && name !== 'switch') await catalogue.journal(solution, { ...journal, step: name });
      log('%s: %s', solution, name);
      await work();
      host.emit('move:step', { solution, step: name, from, to: target });
    };
    let thaw: (() => void) | undefined;
    let frozenAt = 0;
    let switched = false;
    const sums = { tables: 0, rows: 0 };
    try {
      await step('journal', () => catalogue.journal(solution, journal));
      await step('prepare', () => prepareTargets(host, solution, moving, target, databases));
      await step('freeze', async () => {
        frozenAt = performance.now();
        thaw = await host.freeze.freeze(solution, options.drainMs ?? 2_000);
        await Promise.all(moving.map((kind) => servers.get(from[kind]!).admin.session((s) => freezeDatabase(s, databases[kind]!))));
      });
      await step('copy', async () => {
        const roles = host.roles;
        await Promise.all(moving.map((kind) => pgCopy(tools, servers.get(from[kind]!).server.config, servers.get(target[kind]!).server.config, databases[kind]!, roles?.role(solution))));
      });
      await step('verify', async () => {
        // Every database of the solution on both sides at once: this is inside the write freeze.
        const compared = await Promise.all(
          moving.map(async (kind) => {
            const [source, copy] = await Promise.all([
              servers.get(from[kind]!).admin.inDatabase(databases[kind]!, databaseSums),
              servers.get(target[kind]!).admin.inDatabase(databases[kind]!, databaseSums),
            ]);
            return { kind, source, problems: compareSums(source, copy) };
          }),
        );
        for (const { kind, source, problems } of compared) {
          if (problems.length) throw new SolutionMoveError(solution, `Verification of ${databases[kind]} failed: ${problems.join('; ')}.`);
          sums.tables += source.size;
          for (const s of source.values()) sums.rows += s.rows;
        }
      });
      await step('switch', async () => {
        await catalogue.journal(solution, { ...journal, step: 'switch' }, target);
        switched = true;
        // This process serves the solution from its new servers before the freeze ends.
        await pointAt(host, solution, target, databases);
        thaw?.();
      });
    } catch (error) {
      if (!switched) {
        await revert(host, solution, { ...journal, step: 'verify' }).catch((e) => log('%s: revert failed (the next move() reverts): %s', solution, (e as Error).message));
        thaw?.();
        if (error instanceof SolutionMoveError) throw error;
        throw new SolutionMoveError(solution, `Moving '${solution}' failed (${(error as Error).message}); it was reverted and stays on ${describePlacement(from)}.`, error);
      }
      throw error;
    }
    const frozenMs = performance.now() - frozenAt;
    await step('cleanup', () => cleanup(host, solution, { ...journal, step: 'switch' }));
    host.emit('moved', { solution, from, to: target, frozenMs });
    return { ...base, ...sums, outcome: 'moved', frozenMs, totalMs: performance.now() - started };
  });
}

/** Creates the empty target databases (and the solution's role there). */
async function prepareTargets(host: MoveHost, solution: string, kinds: readonly string[], target: Record<string, string>, databases: Readonly<Record<string, string>>): Promise<void> {
  const { roles } = host;
  for (const kind of kinds) {
    const { admin, templates } = host.servers.get(target[kind]!);
    await admin.session(async (session) => {
      if (roles) await roles.ensure(session, solution);
      await admin.dialect.createDatabase(session, databases[kind]!, { template: 'template0', owner: roles?.role(solution) });
      if (roles) await roles.secure(session, admin, databases[kind]!, solution, templates?.name);
      else await admin.dialect.closeToPublic(session, databases[kind]!);
    });
  }
}

/** Before the switch: drops the target copies, makes the source writable again, clears the journal. */
async function revert(host: MoveHost, solution: string, journal: MoveJournal): Promise<void> {
  const record = (await host.catalogue.get(solution))!;
  for (const [kind, server] of Object.entries(journal.to)) {
    if (journal.from[kind] === server || !host.servers.has(server)) continue;
    const { admin } = host.servers.get(server);
    await admin.session((s) => admin.dialect.dropDatabase(s, record.databases[kind]!));
  }
  for (const [kind, server] of Object.entries(journal.from)) {
    if (journal.to[kind] === server) continue;
    await host.servers.get(server).admin.session((s) => thawDatabase(s, record.databases[kind]!));
  }
  await host.catalogue.journal(solution, null);
  await pointAt(host, solution, record.servers, record.databases);
  host.emit('move:reverted', { solution, from: journal.from, to: journal.to, step: journal.step });
  log('%s: reverted a move interrupted at %s', solution, journal.step);
}

/** After the switch: drops the source databases (and the role where nothing of the solution is left), clears the journal. */
async function cleanup(host: MoveHost, solution: string, journal: MoveJournal): Promise<void> {
  const record = (await host.catalogue.get(solution))!;
  await pointAt(host, solution, record.servers, record.databases);
  for (const [kind, server] of Object.entries(journal.from)) {
    if (journal.to[kind] === server) continue;
    const { admin } = host.servers.get(server);
    await admin.session((s) => admin.dialect.dropDatabase(s, record.databases[kind]!));
  }
  const { roles } = host;
  if (roles) {
    const still = new Set(Object.values(record.servers));
    for (const server of new Set(Object.values(journal.from))) {
      if (still.has(server)) continue;
      const { admin } = host.servers.get(server);
      await admin.session((s) => roles.drop(s, solution));
    }
  }
  await host.catalogue.journal(solution, null);
}

/** Points this process's aliases of `solution` at `servers` (closing pools opened on other servers). */
async function pointAt(host: MoveHost, solution: string, servers: Readonly<Record<string, string>>, databases: Readonly<Record<string, string>>): Promise<void> {
  const known = host.connections.placement(solution);
  host.connections.know(solution, servers);
  for (const [kind, database] of Object.entries(databases)) if (known?.[kind] !== servers[kind]) await host.project.removeDatabase(database);
}
