import createDebug from 'debug';
import type { Project } from '@fbs/core';
import type { SolutionCatalogue } from './catalogue';
import { CreateProgress } from './create-progress';
import type { CreateOptions } from './config';
import { SolutionStateError, UnknownSolutionError } from './errors';
import type { ProvisionedVia, SolutionEvents, SolutionPlugin } from './events';
import { isAbort, type SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import type { AdminSession, ServerAdmin } from '@fbs/core/dialect';
import type { SolutionRoles } from './roles';
import type { SolutionConnections } from './solution-connections';
import type { SolutionInfo } from './solution-info';
import type { SolutionManager } from './solution-manager';
import type { TemplateStore } from './template-store';

const log = createDebug('fbs:solutions');

/** What creating and dropping need from the manager. */
export interface LifecycleHost {
  readonly manager: SolutionManager;
  readonly project: Project;
  readonly naming: SolutionNaming;
  readonly admin: ServerAdmin;
  readonly catalogue: SolutionCatalogue;
  readonly connections: SolutionConnections;
  readonly roles: SolutionRoles | undefined;
  readonly templates: TemplateStore | undefined;
  readonly plugins: readonly SolutionPlugin[];
  /** Create a solution's databases at once (else one after the other). */
  readonly parallelProvisioning: boolean;
  migrator(): Promise<SolutionMigrator>;
  emit<K extends keyof SolutionEvents>(event: K, ...args: SolutionEvents[K]): void;
  /** The solution is ready (usable by withSolution) or not. */
  usable(solution: string, ready: boolean): void;
}

/**
 * Creates a solution, or finishes an interrupted creation: the catalogue row goes in first
 * (`creating`), then each missing database (template clone, else empty), role grants, migrations,
 * plugins, and last the `ready` state. Everything after the first step is idempotent, so a call
 * after a crash picks up wherever the last one stopped. `options.signal` stops it between steps
 * (and after the current migration) with a `SolutionAbortedError` saying what was done.
 */
export async function createSolution(host: LifecycleHost, solution: string, options: CreateOptions): Promise<SolutionInfo> {
  const progress = new CreateProgress(solution, options.signal);
  try {
    progress.check('starting');
    return await createSteps(host, solution, options, progress);
  } catch (error) {
    return progress.rethrow(error);
  }
}

async function createSteps(host: LifecycleHost, solution: string, options: CreateOptions, progress: CreateProgress): Promise<SolutionInfo> {
  const { naming, catalogue, templates, roles } = host;
  const databases = naming.databases(solution);
  // A role of that name the SDK did not create is refused before anything is changed.
  if (roles) await host.admin.session((session) => roles.check(session, solution));
  // Templates are brought up to date first: a rebuild needs its own admin connection.
  const fingerprints = new Map<string, string>();
  if (templates && (await catalogue.get(solution))?.state !== 'ready') {
    for (const kind of naming.kinds) {
      progress.check(`preparing template database ${templates.database(kind)}`);
      const fingerprint = await templates.prepare(kind, databases[kind]!, progress.signal);
      if (fingerprint) fingerprints.set(kind, fingerprint);
    }
  }
  return host.admin.withLock(`fbs_solutions:${solution}`, async (session) => {
    progress.check('beginning it');
    const before = await catalogue.get(solution);
    if (before?.state === 'ready') {
      host.usable(solution, true);
      return before;
    }
    if (before?.state === 'dropping') {
      throw new SolutionStateError(
        solution,
        `Solution '${solution}' is being dropped (an earlier drop was interrupted). Finish it with \`fbs-solutions drop ${solution} --confirm ${solution}\` (API: drop('${solution}', { confirm: '${solution}' })), then create it again.`,
      );
    }
    // Databases an interrupted call (it left the row) was still creating on connections of their own: wait for them.
    if (before) {
      for (const kind of naming.kinds) {
        await host.admin.dialect.lock(session, kindKey(solution, kind), false);
        await host.admin.dialect.unlock(session, kindKey(solution, kind), false);
      }
    }
    const existing = await host.admin.dialect.existingDatabases(session, Object.values(databases));
    if (!before && existing.size > 0 && !options.adopt) {
      throw new SolutionStateError(
        solution,
        `Cannot create solution '${solution}': database(s) ${[...existing].map((d) => `'${d}'`).join(', ')} already exist but are not in the catalogue. ` +
          `Drop them, pick another name, or pass { adopt: true } to take them over.`,
      );
    }
    if (roles) await roles.check(session, solution);
    const repairing = before !== undefined;
    const record = await catalogue.begin(solution, databases);
    progress.begun = true;
    host.emit('creating', { solution, repairing });
    log('%s %s', repairing ? 'finishing' : 'creating', solution);
    host.connections.know(solution);
    if (roles) await roles.ensure(session, solution);
    const create = async (kind: string, on: AdminSession): Promise<ProvisionedVia> => {
      const database = databases[kind]!;
      if (existing.has(database)) return (progress.databases[database] = 'existing');
      progress.check(`creating database ${database}`);
      const via = await provision(host, on, kind, database, solution, fingerprints.get(kind), progress);
      progress.databases[database] = via;
      // Without roles too, only the owner (the admin) and superusers may connect (with roles, `secure` grants the solution's role).
      if (!roles) await host.admin.dialect.closeToPublic(on, database);
      host.emit('database:created', { solution, kind, database, via });
      return via;
    };
    const vias = new Map<string, ProvisionedVia>();
    if (!host.parallelProvisioning) {
      for (const kind of naming.kinds) vias.set(kind, await create(kind, session));
    } else {
      // The first kind on the locked session, the others at once on connections of their own.
      const [first, ...others] = naming.kinds;
      const results = await Promise.allSettled([
        create(first!, session),
        ...others.map((kind) => host.admin.withOwnConnection(kindKey(solution, kind), (own) => create(kind, own))),
      ]);
      for (const [i, r] of results.entries()) {
        if (r.status === 'rejected') throw r.reason;
        vias.set(naming.kinds[i]!, r.value);
      }
    }
    const migrate: string[] = [];
    for (const kind of naming.kinds) {
      const database = databases[kind]!;
      if (roles) await roles.secure(session, host.admin, database, solution, templates?.name);
      if (vias.get(kind) !== 'template') migrate.push(database);
    }
    const applied = migrate.length ? await migrateDatabases(host, solution, migrate, progress) : {};
    const info: SolutionInfo = record;
    if (host.plugins.length) progress.check('running its plugins');
    // Hooks may use the solution (withSolution) before it is marked ready.
    host.usable(solution, true);
    try {
      for (const plugin of host.plugins) {
        if (migrate.length) await plugin.migrated?.(info, applied);
        await plugin.created?.(info, host.manager);
      }
      await catalogue.setState(solution, 'ready');
    } catch (error) {
      host.usable(solution, false);
      throw error;
    }
    const ready: SolutionInfo = { ...info, state: 'ready' };
    host.emit('created', { solution: ready, repaired: repairing });
    return ready;
  });
}

/** Drops a catalogued solution: state `dropping`, aliases closed, databases (forcibly) and role dropped, row deleted. */
export async function dropSolution(host: LifecycleHost, solution: string): Promise<void> {
  await host.admin.withLock(`fbs_solutions:${solution}`, async (session) => {
    const record = await host.catalogue.get(solution);
    if (!record) throw new UnknownSolutionError(solution, 'it is not in the catalogue, so nothing was dropped (databases outside the catalogue are never dropped). List the solutions with `fbs-solutions list`.');
    // A role of that name the SDK did not create is refused before anything is dropped.
    if (host.roles) await host.roles.check(session, solution);
    await host.catalogue.setState(solution, 'dropping');
    host.usable(solution, false);
    host.connections.forget(solution);
    const databases = Object.values(record.databases);
    for (const database of databases) await host.project.removeDatabase(database);
    for (const database of databases) await host.admin.dialect.dropDatabase(session, database);
    if (host.roles) await host.roles.drop(session, solution);
    for (const plugin of host.plugins) await plugin.dropped?.(solution);
    await host.catalogue.remove(solution);
    host.emit('dropped', { solution, databases });
  });
}

async function provision(
  host: LifecycleHost, session: AdminSession, kind: string, database: string, solution: string, fingerprint: string | undefined, progress: CreateProgress,
): Promise<ProvisionedVia> {
  const owner = host.roles?.role(solution);
  if (host.templates && fingerprint) {
    try {
      if (await host.templates.clone(session, kind, database, fingerprint, owner)) return 'template';
    } catch (error) {
      // Someone is connected to the template: fall back to migrating an empty database.
      if (host.admin.classifyError(error) !== 'object-in-use') throw error;
      log('template of %s busy, migrating %s instead', kind, database);
    }
    progress.check(`creating database ${database}`);
  }
  await host.admin.dialect.createDatabase(session, database, { owner });
  return 'empty';
}

async function migrateDatabases(host: LifecycleHost, solution: string, aliases: string[], progress: CreateProgress): Promise<Record<string, string[]>> {
  const migrator = await host.migrator();
  progress.check(`migrating ${aliases.join(', ')}`);
  const { signal } = progress;
  const report = await migrator.up({ databases: aliases, continueOnError: true, signal });
  for (const d of report.databases) {
    progress.applied[d.alias] = [...d.applied];
    if (d.pending?.length) progress.pending[d.alias] = [...d.pending];
  }
  const failed = report.databases.find((d) => d.error && !isAbort(d.error, signal));
  if (failed?.error) throw failed.error;
  // Stopped after the current migration (one in flight was rolled back): say what committed.
  const stopped = report.databases.find((d) => d.outcome === 'aborted' || d.outcome === 'not-run' || d.error);
  if (stopped && signal?.aborted) throw progress.aborted(stopped.error);
  const applied = Object.fromEntries(report.databases.map((d) => [d.alias, [...d.applied]]));
  host.emit('migrated', { solution, applied });
  return applied;
}

/** The lock of one database of a solution while it is being created on its own connection. */
function kindKey(solution: string, kind: string): string {
  return `fbs_solutions:${solution}:${kind}`;
}
