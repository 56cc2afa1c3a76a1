import { ConfigurationError } from '@fbs/core';
import createDebug from 'debug';
import type { ConnectionManager } from '@fbs/core';
import type { SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import type { AdminSession, ServerAdmin } from '@fbs/core/dialect';
import type { SolutionRoles } from './roles';

const log = createDebug('fbs:solutions:template');

/** The default solution name of the template databases (`djo_template_db`, `fbs_template_db`); reserved for users. */
export const TEMPLATE_SOLUTION = 'template';

const TEMPLATE_NAME = /^template[a-z0-9_]{0,31}$/;

/** Checks `templates.name` of the config. */
export function templateName(name: string | undefined): string {
  const value = name ?? TEMPLATE_SOLUTION;
  if (typeof value !== 'string' || !TEMPLATE_NAME.test(value)) {
    throw new ConfigurationError(`templates.name ${JSON.stringify(value)} must start with 'template' and otherwise use [a-z0-9_] (e.g. 'template_billing').`);
  }
  return value;
}

const MARK = 'fbs-template ';

/** What the store needs from its manager. */
export interface TemplateHost {
  readonly admin: ServerAdmin;
  readonly naming: SolutionNaming;
  readonly connections: ConnectionManager;
  readonly roles: SolutionRoles | undefined;
  /** The solution name of the template databases. */
  readonly name: string;
  migrator(): Promise<SolutionMigrator>;
  /**
   * Lets the alias of template database `database` resolve while `fn` runs (to migrate it), then
   * forgets it: outside of this, template databases are not reachable as aliases.
   */
  access<T>(database: string, fn: () => Promise<T>): Promise<T>;
  /** Reports a refreshed template. */
  refreshed(kind: string, database: string, fingerprint: string): void;
}

/**
 * Migrated template databases, one per kind, cloned with `CREATE DATABASE … TEMPLATE`. A template
 * carries the fingerprint of the migrations it was built with (as the database's comment); when the
 * migrator's fingerprint differs, it is rebuilt from empty under an exclusive advisory lock, while
 * clones take the same lock shared.
 */
export class TemplateStore {
  readonly #host: TemplateHost;
  readonly #verified = new Map<string, string>();

  constructor(host: TemplateHost) {
    this.#host = host;
  }

  /** The solution name of the template databases. */
  get name(): string {
    return this.#host.name;
  }

  /** The template database of `kind`. */
  database(kind: string): string {
    return this.#host.naming.database(kind, this.#host.name);
  }

  /**
   * Makes sure the template of `kind` is at the migrations `target` would get, rebuilding it if
   * needed; returns their fingerprint, or undefined when the routers plan other migrations for
   * `target` than for the template (then it must be migrated instead). Call it before taking the
   * solution's lock: a rebuild uses its own admin connection. `signal` stops a rebuild (see {@link refresh}).
   */
  async prepare(kind: string, target: string, signal?: AbortSignal): Promise<string | undefined> {
    const migrator = await this.#host.migrator();
    const fingerprint = migrator.fingerprint(this.database(kind));
    if (fingerprint !== migrator.fingerprint(target)) {
      log('%s: the routers plan other migrations for %s than for the template; migrating instead', kind, target);
      return undefined;
    }
    // Verified once per process; `clone` checks again under the lock and forgets it on a mismatch.
    if (this.#verified.get(kind) !== fingerprint) {
      await this.refresh(kind, fingerprint, signal);
      this.#verified.set(kind, fingerprint);
    }
    return fingerprint;
  }

  /**
   * Clones the template of `kind` into `target` on `session`, holding the template's lock shared
   * (a rebuild takes it exclusively). Returns false, creating nothing, when the template is no
   * longer at `fingerprint`. Throws when someone is connected to the template (`object-in-use`).
   */
  async clone(session: AdminSession, kind: string, target: string, fingerprint: string, owner: string | undefined): Promise<boolean> {
    const dialect = this.#host.admin.dialect;
    const template = this.database(kind);
    await dialect.lock(session, lockKey(kind), true);
    try {
      if ((await dialect.databaseComment(session, template)) !== MARK + fingerprint) {
        this.#verified.delete(kind);
        return false;
      }
      await dialect.createDatabase(session, target, { template, owner });
      return true;
    } finally {
      await dialect.unlock(session, lockKey(kind), true);
    }
  }

  /**
   * Rebuilds the template of `kind` unless it is at `fingerprint` already. `signal` stops it before
   * the rebuild starts, or after the current migration (one in flight is rolled back); the template
   * is then left unmarked, so the next call rebuilds it.
   */
  async refresh(kind: string, fingerprint: string, signal?: AbortSignal): Promise<void> {
    const { admin, connections, roles } = this.#host;
    const { dialect } = admin;
    const template = this.database(kind);
    if ((await admin.session((session) => dialect.databaseComment(session, template))) === MARK + fingerprint) return;
    await admin.withLock(lockKey(kind), async (session) => {
      if ((await dialect.databaseComment(session, template)) === MARK + fingerprint) return;
      signal?.throwIfAborted();
      // A templates' role of that name the SDK did not create is refused before anything is dropped.
      if (roles) await roles.check(session, this.#host.name);
      log('rebuilding %s (migrations changed)', template);
      this.#verified.delete(kind);
      await connections.remove(template);
      await dialect.dropDatabase(session, template);
      await dialect.createDatabase(session, template);
      // Nobody but the admin (and, with roles, the templates' role) connects to a template: it is not a tenant.
      if (!roles) await dialect.closeToPublic(session, template);
      else {
        // Migrated by the templates' role (so clones can hand its objects to the solution's role),
        // while the database itself stays the admin's: REASSIGN OWNED in a clone must not move it.
        const role = roles.role(this.#host.name);
        await roles.ensure(session, this.#host.name, true);
        await dialect.restrictConnect(session, template, role, false);
        await admin.inDatabase(template, (inDatabase) => dialect.grantCreate(inDatabase, role));
      }
      const migrator = await this.#host.migrator();
      await this.#host.access(template, async () => {
        const report = await migrator.up({ databases: [template], signal });
        const failed = report.databases.find((d) => d.error);
        if (failed?.error) throw failed.error;
      });
      await admin.inDatabase(template, (inDatabase) => dialect.compact(inDatabase));
      await dialect.setDatabaseComment(session, template, MARK + fingerprint);
      this.#host.refreshed(kind, template, fingerprint);
    });
  }

  /** Drops the template databases (e.g. when a test or a benchmark cleans up). */
  async dropAll(): Promise<void> {
    const { admin, connections, roles } = this.#host;
    this.#verified.clear();
    // A templates' role the SDK did not create is refused before anything is dropped.
    if (roles) await admin.session((session) => roles.check(session, this.#host.name));
    for (const kind of this.#host.naming.kinds) {
      const template = this.database(kind);
      await connections.remove(template);
      await admin.withLock(lockKey(kind), (session) => admin.dialect.dropDatabase(session, template));
    }
    if (roles) await admin.session((session) => roles.drop(session, this.#host.name));
  }
}

function lockKey(kind: string): string {
  return `fbs_solutions:template:${kind}`;
}
