import { ConfigurationError } from '@fbs/core';
import { SOLUTION_NAME_PATTERN } from './solution-name';

/** The default role name template of `roles.name`. */
export const DEFAULT_ROLE_TEMPLATE = 'fbs_{name}_role';

const TEMPLATE = /^([a-z0-9_]*)\{name\}([a-z0-9_]*)$/;

/** Role names PostgreSQL or operators rely on, which no template may be able to produce. */
const WELL_KNOWN_ROLES: readonly string[] = Object.freeze(['postgres', 'public', 'none', 'current_role', 'current_user', 'session_user', 'system_user', 'rdsadmin', 'cloudsqlsuperuser', 'azure_pg_admin']);

const EXAMPLE = "e.g. 'fbs_{name}_role' or 'tenant_{name}'";

/**
 * Checks `roles.name` and returns its prefix and suffix. A template must set the solution name apart
 * with a prefix ending in `_` and/or a suffix starting with `_` (so `{name}` alone, or `x{name}`, are
 * refused), may not start with `pg_` (PostgreSQL's own roles), and may not be able to produce a
 * well-known role (`postgres`, …) or the server's administrator `admin`. The roles it produces are
 * still only ever altered or dropped when the SDK created them (see `SolutionRoles`).
 */
export function parseRoleTemplate(template: unknown, admin?: string): readonly [prefix: string, suffix: string] {
  const match = typeof template === 'string' ? TEMPLATE.exec(template) : null;
  const shown = JSON.stringify(template);
  if (!match) throw new ConfigurationError(`roles.name ${shown} must contain '{name}' and otherwise only [a-z0-9_], ${EXAMPLE}.`);
  const [, prefix = '', suffix = ''] = match;
  if (prefix === '' && suffix === '') {
    throw new ConfigurationError(`roles.name ${shown} would give a solution the role of the same name, which may be any existing role (e.g. a superuser). Add a prefix or suffix, ${EXAMPLE}.`);
  }
  if ((prefix !== '' && !prefix.endsWith('_')) || (suffix !== '' && !suffix.startsWith('_'))) {
    throw new ConfigurationError(`roles.name ${shown} must separate '{name}' from its prefix and suffix with '_' (so no two solutions or other roles share a name), ${EXAMPLE}.`);
  }
  if (prefix.startsWith('pg_')) {
    throw new ConfigurationError(`roles.name ${shown} may not start with 'pg_' (reserved by PostgreSQL), ${EXAMPLE}.`);
  }
  for (const role of [...WELL_KNOWN_ROLES, ...(admin ? [admin] : [])]) {
    if (role.length <= prefix.length + suffix.length || !role.startsWith(prefix) || !role.endsWith(suffix)) continue;
    const solution = role.slice(prefix.length, role.length - suffix.length);
    if (SOLUTION_NAME_PATTERN.test(solution)) {
      throw new ConfigurationError(`roles.name ${shown} gives solution '${solution}' the role '${role}'${role === admin ? ", the server's administrator" : ''}. Choose another prefix or suffix, ${EXAMPLE}.`);
    }
  }
  return [prefix, suffix];
}
