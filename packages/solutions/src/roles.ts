import { ConfigurationError } from '@fbs/core';
import { randomBytes } from 'node:crypto';
import type { SolutionDialect } from './dialect';
import type { AdminSession, PostgresAdmin } from './postgres-admin';

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

/** Roles of solutions and templates. Passwords are logged redacted and never appear in errors. */
export class SolutionRoles {
  readonly #config: RolesConfig;
  readonly #dialect: SolutionDialect;
  readonly #template: string;
  readonly #templatePassword = randomBytes(24).toString('base64url');

  constructor(config: RolesConfig, dialect: SolutionDialect) {
    this.#dialect = dialect;
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
    await this.#dialect.ensureLoginRole(session, this.role(solution), this.password(solution, isTemplate));
  }

  /**
   * Makes the solution's role own `database` and everything the templates' role created in it, and
   * lets only the owner (and superusers) connect. The templates' role owns no database, so REASSIGN
   * OWNED (which also moves shared objects) only touches objects inside the clone.
   */
  async secure(session: AdminSession, admin: PostgresAdmin, database: string, solution: string, template: string | undefined): Promise<void> {
    const role = this.role(solution);
    await this.#dialect.restrictConnect(session, database, role, true);
    if (template === undefined) return;
    const templateRole = this.role(template);
    if (await this.#dialect.roleExists(session, templateRole)) {
      await admin.inDatabase(database, (inDatabase) => this.#dialect.reassignOwned(inDatabase, templateRole, role));
    }
  }

  /** Drops the role of `solution` (after its databases are gone). */
  async drop(session: AdminSession, solution: string): Promise<void> {
    await this.#dialect.dropRole(session, this.role(solution));
  }
}
