import { ConfigurationError, type RoutingHints } from '@fbs/core';

/** Database name templates keyed by kind; `{name}` is replaced by the solution name. */
export type DatabaseTemplates = Readonly<Record<string, string>>;

/** The seed's naming: `djo_{name}_db` (the application's data) and `fbs_{name}_db` (the ERP side). */
export const DEFAULT_DATABASE_TEMPLATES: DatabaseTemplates = Object.freeze({ djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' });

const KIND = /^[a-z][a-z0-9_]{0,31}$/;
const TEMPLATE = /^([a-z0-9_]*)\{name\}([a-z0-9_]*)$/;

/** A kind and solution name read back from a database alias. */
export interface ParsedAlias {
  readonly kind: string;
  readonly solution: string;
}

/**
 * Turns solution names into database names (which are also their aliases) and back, from the
 * name templates. Database names only ever contain `[a-z0-9_]`.
 *
 * @example
 * ```ts
 * const naming = new SolutionNaming({ djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' });
 * naming.database('djo', 'acme_corp'); // 'djo_acme_corp_db'
 * naming.parse('fbs_acme_corp_db');    // { kind: 'fbs', solution: 'acme_corp' }
 * ```
 */
export class SolutionNaming {
  readonly kinds: readonly string[];
  readonly #parts: ReadonlyMap<string, readonly [prefix: string, suffix: string]>;

  constructor(templates: DatabaseTemplates = DEFAULT_DATABASE_TEMPLATES) {
    if (!templates || typeof templates !== 'object' || Object.keys(templates).length === 0) {
      throw new ConfigurationError(`Solution database templates must be an object of kind → template, e.g. { djo: 'djo_{name}_db', fbs: 'fbs_{name}_db' }.`);
    }
    const parts = new Map<string, readonly [string, string]>();
    for (const [kind, template] of Object.entries(templates)) {
      if (!KIND.test(kind)) throw new ConfigurationError(`Solution database kind ${JSON.stringify(kind)} must be a lowercase identifier (e.g. 'djo').`);
      const match = typeof template === 'string' ? TEMPLATE.exec(template) : null;
      if (!match) {
        throw new ConfigurationError(
          `Solution database template ${JSON.stringify(template)} (kind '${kind}') must contain '{name}' once and otherwise only [a-z0-9_], e.g. '${kind}_{name}_db'.`,
        );
      }
      parts.set(kind, [match[1]!, match[2]!]);
    }
    const names = [...parts.values()].map(([p, s]) => `${p}\u0000${s}`);
    if (new Set(names).size !== names.length) throw new ConfigurationError('Two solution database kinds have the same template; each kind needs its own database name.');
    this.kinds = Object.freeze([...parts.keys()]);
    this.#parts = parts;
  }

  /** The database name (and alias) of `kind` for solution `name`. */
  database(kind: string, name: string): string {
    const parts = this.#parts.get(kind);
    if (!parts) throw new ConfigurationError(`Unknown solution database kind '${kind}'. Kinds: ${this.kinds.map((k) => `'${k}'`).join(', ')}.`);
    return parts[0] + name + parts[1];
  }

  /** Every database of solution `name`, keyed by kind. */
  databases(name: string): Record<string, string> {
    return Object.fromEntries(this.kinds.map((kind) => [kind, this.database(kind, name)]));
  }

  /** The kind and solution of a database alias, or undefined when no template matches. */
  parse(alias: string): ParsedAlias | undefined {
    if (typeof alias !== 'string') return undefined;
    for (const [kind, [prefix, suffix]] of this.#parts) {
      if (alias.length > prefix.length + suffix.length && alias.startsWith(prefix) && alias.endsWith(suffix)) {
        return { kind, solution: alias.slice(prefix.length, alias.length - suffix.length) };
      }
    }
    return undefined;
  }

  /** Length in bytes of the longest database name for a solution name of `length` characters. */
  longest(length: number): number {
    return Math.max(...[...this.#parts.values()].map(([p, s]) => p.length + s.length + length));
  }
}

/**
 * The hints of a solution under these name templates: the solution, and its first kind's database
 * as `hints.database` (what the seed's router returns). Every `SolutionManager` adds them to its
 * project's `withSolution` scopes; give them as `solutionHints` to a project without a manager.
 * The one place solution database names become hints (core knows only `hints.solution`).
 *
 * @example
 * ```ts
 * const databases = { app: 'app_{name}', erp: 'erp_{name}' };
 * createProject({ ..., solutionHints: solutionHintsFor(databases) });
 * new SolutionManager(project, { databases });
 * ```
 */
export function solutionHintsFor(templates: DatabaseTemplates = DEFAULT_DATABASE_TEMPLATES): (solution: string) => RoutingHints {
  const naming = new SolutionNaming(templates);
  const kind = naming.kinds[0]!;
  return (solution) => ({ solution, database: naming.database(kind, solution) });
}
