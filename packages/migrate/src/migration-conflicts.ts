import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';

/** Two (or more) migrations of one app that share a number and where none depends on another: two branches of history. */
export interface MigrationConflict {
  readonly appLabel: string;
  /** The shared number prefix, e.g. `0003`. */
  readonly number: string;
  /** The conflicting migrations (namespaced), in name order. */
  readonly names: string[];
}

const NUMBER = /^(\d+)_/;

/**
 * The conflicts of a project's migrations (Django's "Conflicting migrations detected"): within one
 * app, migrations whose names start with the same number (two developers' `0003_*`) and where
 * neither depends on the other through explicit `dependencies` (directly or transitively). Adding
 * `dependencies: ['app/0003_a']` to `0003_b` (or renumbering it) resolves one.
 *
 * @example
 * ```ts
 * findConflicts(entries); // [{ appLabel: 'billing', number: '0003', names: ['billing/0003_a', 'billing/0003_b'] }]
 * ```
 */
export function findConflicts(entries: readonly MigrationEntry[]): MigrationConflict[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  /** Whether `from` depends on `to` through explicit dependencies, directly or transitively. */
  const reaches = (from: MigrationEntry, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [...from.dependencies];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === to) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(byName.get(next)?.dependencies ?? []));
    }
    return false;
  };
  const groups = new Map<string, MigrationEntry[]>();
  for (const entry of entries) {
    const number = NUMBER.exec(entry.localName)?.[1];
    if (number === undefined) continue;
    const key = `${entry.appLabel}\u0000${Number(number)}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const conflicts: MigrationConflict[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => (a.localName < b.localName ? -1 : 1));
    const related = (a: MigrationEntry, b: MigrationEntry) => reaches(a, b.name) || reaches(b, a.name);
    const clashing = sorted.filter((e) => sorted.some((o) => o !== e && !related(e, o)));
    const [first] = clashing;
    if (first) conflicts.push({ appLabel: first.appLabel, number: NUMBER.exec(first.localName)![1]!, names: clashing.map((e) => e.name) });
  }
  return conflicts;
}

/** The error `plan`/`up`/`down` throw, before anything runs, when the project has conflicts. */
export function conflictError(conflicts: readonly MigrationConflict[]): MigrationPlanError {
  const lines = conflicts.map((c) => `app '${c.appLabel}': ${c.names.map((n) => `'${n}'`).join(' and ')} share the number ${c.number} and neither depends on the other`);
  const [first] = conflicts;
  const [a, b] = first!.names;
  return new MigrationPlanError(
    `Conflicting migrations (two branches of one app's history): ${lines.join('; ')}. ` +
      `Renumber one of them after the other (e.g. ${b!.split('/')[1]!.replace(/^\d+/, String(Number(first!.number) + 1).padStart(first!.number.length, '0'))}), ` +
      `or add \`dependencies: ['${a}']\` to '${b}'. Nothing was run.`,
  );
}
