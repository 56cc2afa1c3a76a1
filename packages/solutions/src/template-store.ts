import createDebug from 'debug';
import type { ConnectionManager } from '@fbs/core';
import type { SolutionMigrator } from './migrator-contract';
import type { SolutionNaming } from './naming';
import { ident, literal, type PostgresAdmin } from './postgres-admin';
import type { SolutionRoles } from './roles';

const log = createDebug('fbs:solutions:template');

/** The solution name of the template databases (`djo_template_db`, `fbs_template_db`); reserved for users. */
export const TEMPLATE_SOLUTION = 'template';

const MARK = 'fbs-template ';

/** What the store needs from its manager. */
export interface TemplateHost {
  readonly admin: PostgresAdmin;
  readonly naming: SolutionNaming;
  readonly connections: ConnectionManager;
  readonly roles: SolutionRoles | undefined;
  migrator(): Promise<SolutionMigrator>;
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

  constructor(host: TemplateHost) {
    this.#host = host;
  }

  /** The template database of `kind`. */
  database(kind: string): string {
    return this.#host.naming.database(kind, TEMPLATE_SOLUTION);
  }

  /**
   * Clones the template of `kind` into `target` when the template's migrations are the ones the
   * target's database would get; returns false (nothing created) when they are not.
   */
  async clone(kind: string, target: string, owner: string | undefined): Promise<boolean> {
    const migrator = await this.#host.migrator();
    const template = this.database(kind);
    const fingerprint = migrator.fingerprint(template);
    if (fingerprint !== migrator.fingerprint(target)) {
      log('%s: the routers plan other migrations for %s than for the template; migrating instead', kind, target);
      return false;
    }
    await this.refresh(kind, fingerprint);
    const ownerClause = owner ? ` OWNER ${ident(owner)}` : '';
    return this.#host.admin.withLock(lockKey(kind), async (session) => {
      // Checked again under the shared lock: another process may have rebuilt it with other migrations.
      const [row] = await session.query("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [template]);
      if (row?.c !== MARK + fingerprint) return false;
      await session.query(`CREATE DATABASE ${ident(target)} TEMPLATE ${ident(template)}${ownerClause}`);
      return true;
    }, true);
  }

  /** Rebuilds the template of `kind` unless it is at `fingerprint` already. */
  async refresh(kind: string, fingerprint: string): Promise<void> {
    const { admin, connections, roles } = this.#host;
    const template = this.database(kind);
    if ((await admin.comment(template)) === MARK + fingerprint) return;
    await admin.withLock(lockKey(kind), async (session) => {
      const [row] = await session.query("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [template]);
      if (row?.c === MARK + fingerprint) return;
      log('rebuilding %s (migrations changed)', template);
      await connections.closeOne(template);
      await session.query(`DROP DATABASE IF EXISTS ${ident(template)} WITH (FORCE)`);
      await session.query(`CREATE DATABASE ${ident(template)}`);
      if (roles) {
        // Migrated by the templates' role (so clones can hand its objects to the solution's role),
        // while the database itself stays the admin's: REASSIGN OWNED in a clone must not move it.
        const role = ident(roles.role(TEMPLATE_SOLUTION));
        await roles.ensure(session, TEMPLATE_SOLUTION, true);
        await session.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(template)} FROM PUBLIC`);
        await session.query(`GRANT CONNECT ON DATABASE ${ident(template)} TO ${role}`);
        await admin.inDatabase(template, (db) => db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}`));
      }
      const migrator = await this.#host.migrator();
      try {
        const report = await migrator.up({ databases: [template] });
        const failed = report.databases.find((d) => d.error);
        if (failed?.error) throw failed.error;
      } finally {
        await connections.closeOne(template);
      }
      await session.query(`COMMENT ON DATABASE ${ident(template)} IS ${literal(MARK + fingerprint)}`);
      this.#host.refreshed(kind, template, fingerprint);
    });
  }

  /** Drops the template databases (e.g. when a test or a benchmark cleans up). */
  async dropAll(): Promise<void> {
    for (const kind of this.#host.naming.kinds) {
      const template = this.database(kind);
      await this.#host.connections.closeOne(template);
      await this.#host.admin.withLock(lockKey(kind), (session) => session.query(`DROP DATABASE IF EXISTS ${ident(template)} WITH (FORCE)`));
    }
    const roles = this.#host.roles;
    if (roles) await this.#host.admin.query(`DROP ROLE IF EXISTS ${ident(roles.role(TEMPLATE_SOLUTION))}`);
  }
}

function lockKey(kind: string): string {
  return `fbs_solutions:template:${kind}`;
}
