import { POSTGRES_MAX_IDENTIFIER_BYTES } from '@fbs/core/dialect';
import { InvalidSolutionNameError } from './errors';
import { DEFAULT_DATABASE_TEMPLATES, SolutionNaming, type DatabaseTemplates } from './naming';

/** What a solution name may look like: a lowercase ASCII letter, then up to 39 lowercase letters, digits or underscores. */
export const SOLUTION_NAME_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** Prefixes a solution name may not start with (PostgreSQL's own, and the name of the template databases). */
export const RESERVED_SOLUTION_PREFIXES: readonly string[] = Object.freeze(['pg_', 'template']);

/** Databases every PostgreSQL server has: no solution database may be one of them. */
const SERVER_DATABASES: ReadonlySet<string> = new Set(['postgres', 'template0', 'template1']);

/** PostgreSQL truncates identifiers longer than this many bytes (the dialect module's limit). */
export const MAX_IDENTIFIER_BYTES: number = POSTGRES_MAX_IDENTIFIER_BYTES;

const ALLOWED =
  `Use 1-40 characters: lowercase ASCII letters a-z, digits and underscores, starting with a letter ` +
  `(${SOLUTION_NAME_PATTERN.source}), not starting with ${RESERVED_SOLUTION_PREFIXES.map((p) => `'${p}'`).join(' or ')}; e.g. 'acme_corp'.`;

/** Extra rules of {@link validateSolutionName}. */
export interface SolutionNameRules {
  /** Other identifiers built from the name (e.g. role names); they must fit in 63 bytes too. */
  readonly extraNames?: (name: string) => readonly string[];
  /** Database names and aliases already used by the project (e.g. `fbs_system_db`): a solution may not take them. */
  readonly taken?: ReadonlySet<string>;
}

/**
 * Checks a solution name and returns it, or throws {@link InvalidSolutionNameError} saying what is
 * allowed. Pure: runs no SQL.
 *
 * @example
 * ```ts
 * validateSolutionName('acme_corp', naming);       // 'acme_corp'
 * validateSolutionName('acme; DROP DATABASE', naming); // throws InvalidSolutionNameError
 * ```
 */
export function validateSolutionName(name: unknown, naming: SolutionNaming, options: SolutionNameRules = {}): string {
  if (typeof name !== 'string') throw new InvalidSolutionNameError(name, `a solution name must be a string. ${ALLOWED}`);
  if (!SOLUTION_NAME_PATTERN.test(name)) {
    throw new InvalidSolutionNameError(name, `${ALLOWED}${suggestion(name)}`);
  }
  const reserved = RESERVED_SOLUTION_PREFIXES.find((prefix) => name.startsWith(prefix));
  if (reserved) throw new InvalidSolutionNameError(name, `names starting with '${reserved}' are reserved. ${ALLOWED}`);
  const databases = naming.kinds.map((kind) => naming.database(kind, name));
  const own = databases.find((db) => SERVER_DATABASES.has(db) || db.startsWith('pg_'));
  if (own) throw new InvalidSolutionNameError(name, `its database would be '${own}', which belongs to the server itself. Choose another name.`);
  const clash = databases.find((db) => options.taken?.has(db));
  if (clash) throw new InvalidSolutionNameError(name, `its database '${clash}' is already a configured database of the project. Choose another name.`);
  const identifiers = [...databases, ...(options.extraNames?.(name) ?? [])];
  const tooLong = identifiers.find((id) => Buffer.byteLength(id) > MAX_IDENTIFIER_BYTES);
  if (tooLong) {
    const spare = name.length - (Buffer.byteLength(tooLong) - MAX_IDENTIFIER_BYTES);
    throw new InvalidSolutionNameError(
      name,
      `'${tooLong}' would be longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte identifier limit; use at most ${Math.max(spare, 1)} characters with these name templates.`,
    );
  }
  return name;
}

function suggestion(name: string): string {
  const candidate = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return SOLUTION_NAME_PATTERN.test(candidate) && candidate !== name && !RESERVED_SOLUTION_PREFIXES.some((p) => candidate.startsWith(p))
    ? ` Did you mean '${candidate}'?`
    : '';
}

/**
 * A guard for every entry point that takes a solution name (e.g. core's `withSolution`): the
 * returned function throws {@link InvalidSolutionNameError} for a name `create()` would refuse —
 * a bad pattern, a reserved name (`template…` — the template databases are not a tenant — or
 * `pg_…`), a server or project database — and runs no SQL. `SolutionManager#nameGuard()` gives
 * the one with the manager's own rules (project databases, role names).
 *
 * @example
 * ```ts
 * const guard = solutionNameGuard({ djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' });
 * guard('acme_corp'); // fine
 * guard('template');  // throws InvalidSolutionNameError
 * ```
 */
export function solutionNameGuard(naming: SolutionNaming | DatabaseTemplates = DEFAULT_DATABASE_TEMPLATES, rules: SolutionNameRules = {}): (name: unknown) => void {
  const resolved = naming instanceof SolutionNaming ? naming : new SolutionNaming(naming);
  return (name) => void validateSolutionName(name, resolved, rules);
}
