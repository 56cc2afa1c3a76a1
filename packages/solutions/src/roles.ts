import { ConfigurationError } from '@fbs/core';
import { randomBytes } from 'node:crypto';
import { RoleOwnershipError } from './errors';
import type { AdminSession, DatabaseAdmin, ServerAdmin } from '@fbs/core/dialect';
import { DEFAULT_ROLE_TEMPLATE, parseRoleTemplate } from './role-name';

/**
 * Least privilege (part of `SolutionsConfig`): one login role per solution, owning its databases
 * (CONNECT on those only; PUBLIC's CONNECT revoked), used by the solution's connections.
 */
export interface RolesConfig {
  /** The role's password. Called when the role is created and whenever a connection config is built; never logged, never sent to the server (a SCRAM verifier is). */
  readonly password: (solution: string) => string;
  /**
   * Role name template with `{name}`, set apart by `_` (e.g. `tenant_{name}`). Default `fbs_{name}_role`.
   * `{name}` alone, `pg_…` and templates that can produce `postgres` or the server's administrator are refused.
   */
  readonly name?: string;
}

/** The comment that marks a role as created by @fbs/solutions for one solution (or the templates). */
export function roleMarker(solution: string): string {
  return `fbs-solutions role of solution ${solution}`;
}

/**
 * Roles of solutions and templates. A role is only ever altered or dropped when it carries the
 * marker of its solution (a comment set in the transaction that created it); any other role of
 * that name is a {@link RoleOwnershipError} and is left alone. Passwords reach the server only as
 * SCRAM verifiers, are logged redacted and never appear in errors.
 */
export class SolutionRoles {
  readonly #config: RolesConfig;
  readonly #dialect: DatabaseAdmin;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #templatePassword = randomBytes(24).toString('base64url');

  /** `admin`: the server's administrator, which no role name may be. */
  constructor(config: RolesConfig, dialect: DatabaseAdmin, admin?: string) {
    this.#dialect = dialect;
    if (!config || typeof config.password !== 'function') {
      throw new ConfigurationError('roles.password must be a function (solution) => password, e.g. (name) => secrets.get(`db/${name}`).');
    }
    [this.#prefix, this.#suffix] = parseRoleTemplate(config.name ?? DEFAULT_ROLE_TEMPLATE, admin);
    this.#config = config;
  }

  /** The role of `solution` (the template databases use their own solution name, e.g. `template`). */
  role(solution: string): string {
    return this.#prefix + solution + this.#suffix;
  }

  /** The password connections of `solution` use (a random one, per process, for the templates' role). */
  password(solution: string, isTemplate: boolean): string {
    if (isTemplate) return this.#templatePassword;
    const password = this.#config.password(solution);
    if (typeof password !== 'string' || password === '') throw new ConfigurationError(`roles.password('${solution}') must return a non-empty string.`);
    return password;
  }

  /** Whether the role of `solution` exists; throws {@link RoleOwnershipError} when it exists but is not the SDK's. Changes nothing. */
  async check(session: AdminSession, solution: string): Promise<boolean> {
    const role = this.role(solution);
    const comment = await this.#dialect.roleComment(session, role);
    if (comment === undefined) return false;
    if (comment !== roleMarker(solution)) throw new RoleOwnershipError(role, solution, roleMarker(solution));
    return true;
  }

  /** Creates the marked login role, or resets the password of the SDK's existing one. */
  async ensure(session: AdminSession, solution: string, isTemplate = false): Promise<void> {
    const role = this.role(solution);
    const verifier = this.#dialect.passwordVerifier(this.password(solution, isTemplate));
    if (await this.check(session, solution)) await this.#dialect.alterLoginRole(session, role, verifier);
    else await this.#dialect.createLoginRole(session, role, verifier, roleMarker(solution));
  }

  /**
   * Makes the solution's role own `database` and everything the templates' role created in it, and
   * lets only the owner (and superusers) connect. The templates' role owns no database, so REASSIGN
   * OWNED (which also moves shared objects) only touches objects inside the clone.
   */
  async secure(session: AdminSession, admin: ServerAdmin, database: string, solution: string, template: string | undefined): Promise<void> {
    const role = this.role(solution);
    await this.#dialect.restrictConnect(session, database, role, true);
    if (template === undefined) return;
    if (await this.check(session, template)) {
      await admin.inDatabase(database, (inDatabase) => this.#dialect.reassignOwned(inDatabase, this.role(template), role));
    }
  }

  /** Drops the SDK's role of `solution` (after its databases are gone); a missing role is fine, a foreign one an error. */
  async drop(session: AdminSession, solution: string): Promise<void> {
    if (await this.check(session, solution)) await this.#dialect.dropRole(session, this.role(solution));
  }

  /** The databases the role of `solution` may connect to (see docs/solutions.md for the operator's part). */
  async connectable(session: AdminSession, solution: string): Promise<string[]> {
    return this.#dialect.connectableDatabases(session, this.role(solution));
  }
}
