import { ConfigurationError } from '@fbs/core';
import { randomBytes } from 'node:crypto';
import { ident, literal, type AdminSession, type PostgresAdmin } from './postgres-admin';

/**
 * Least privilege (part of `SolutionsConfig`): one login role per solution, owning its databases
 * (CONNECT on those only; PUBLIC's CONNECT revoked), used by the solution's connections.
 */
export interface RolesConfig {
  /** The role's password. Called when the role is created and whenever a connection config is built; never logged. */
  readonly password: (solution: string) => string;
  /** Role name template with `{name}`. Default `fbs_{name}_role`. */
  readonly name?: string;
}

const ROLE_TEMPLATE = /^[a-z0-9_]*\{name\}[a-z0-9_]*$/;

/** Role DDL of solutions and templates. Passwords go through `literal()` and are logged redacted. */
export class SolutionRoles {
  readonly #config: RolesConfig;
  readonly #template: string;
  readonly #templatePassword = randomBytes(24).toString('base64url');

  constructor(config: RolesConfig) {
    if (!config || typeof config.password !== 'function') {
      throw new ConfigurationError('roles.password must be a function (solution) => password, e.g. (name) => secrets.get(`db/${name}`).');
    }
    const template = config.name ?? 'fbs_{name}_role';
    if (!ROLE_TEMPLATE.test(template)) throw new ConfigurationError(`roles.name ${JSON.stringify(template)} must contain '{name}' and otherwise only [a-z0-9_], e.g. 'fbs_{name}_role'.`);
    this.#config = config;
    this.#template = template;
  }

  /** The role of `solution` (the template databases use the solution name `template`). */
  role(solution: string): string {
    return this.#template.replace('{name}', solution);
  }

  /** The password connections of `solution` use (a random one, per process, for the templates' role). */
  password(solution: string, isTemplate: boolean): string {
    if (isTemplate) return this.#templatePassword;
    const password = this.#config.password(solution);
    if (typeof password !== 'string' || password === '') throw new ConfigurationError(`roles.password('${solution}') must return a non-empty string.`);
    return password;
  }

  /** Creates the login role, or resets its password when it exists. */
  async ensure(session: AdminSession, solution: string, isTemplate = false): Promise<void> {
    const role = this.role(solution);
    const password = literal(this.password(solution, isTemplate));
    const exists = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = exists.length ? 'ALTER' : 'CREATE';
    await session.query(`${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`, [], { secret: true });
  }

  /**
   * Makes `role` own `database` and everything the templates' role created in it, and lets only
   * the owner (and superusers) connect. The templates' role owns no database, so REASSIGN OWNED
   * (which also moves shared objects) only touches objects inside the clone.
   */
  async secure(session: AdminSession, admin: PostgresAdmin, database: string, solution: string, template: string | undefined): Promise<void> {
    const role = ident(this.role(solution));
    await session.query(`ALTER DATABASE ${ident(database)} OWNER TO ${role}`);
    await session.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`);
    await session.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${role}`);
    if (template !== undefined) {
      const templateRole = this.role(template);
      await admin.inDatabase(database, async (session) => {
        const exists = await session.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [templateRole]);
        if (!exists.length) return;
        await session.query(`REASSIGN OWNED BY ${ident(templateRole)} TO ${role}`);
        await session.query(`REVOKE ALL ON SCHEMA public FROM ${ident(templateRole)}`);
      });
    }
  }

  /** Drops the role of `solution` (after its databases are gone). */
  async drop(session: AdminSession, solution: string): Promise<void> {
    await session.query(`DROP ROLE IF EXISTS ${ident(this.role(solution))}`);
  }
}
