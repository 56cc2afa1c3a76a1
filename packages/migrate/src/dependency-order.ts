import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';

/**
 * Orders migrations by dependencies, then app order, then name. Each migration also depends on the
 * previous migration of its own app (migrations of one app run in name order). A missing dependency
 * or a cycle is a {@link MigrationPlanError}.
 */
export function orderMigrations(entries: readonly MigrationEntry[]): MigrationEntry[] {
  const sorted = [...entries].sort((a, b) => a.appIndex - b.appIndex || compare(a.localName, b.localName));
  const byName = new Map(sorted.map((e) => [e.name, e]));
  const requires = new Map<string, string[]>();
  sorted.forEach((entry, i) => {
    const previous = i > 0 && sorted[i - 1]!.appLabel === entry.appLabel ? [sorted[i - 1]!.name] : [];
    for (const dependency of entry.dependencies) {
      if (!byName.has(dependency)) throw missing(entry, dependency, sorted);
    }
    requires.set(entry.name, [...previous, ...entry.dependencies]);
  });
  const done = new Set<string>();
  const order: MigrationEntry[] = [];
  let remaining = sorted;
  while (remaining.length > 0) {
    const next = remaining.find((e) => requires.get(e.name)!.every((d) => done.has(d)));
    if (next === undefined) throw cycle(remaining, requires);
    done.add(next.name);
    order.push(next);
    remaining = remaining.filter((e) => e !== next);
  }
  return order;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function missing(entry: MigrationEntry, dependency: string, all: readonly MigrationEntry[]): MigrationPlanError {
  const app = dependency.split('/')[0];
  const siblings = all.filter((e) => e.appLabel === app).map((e) => e.name);
  const known = siblings.length
    ? ` App '${app}' ships: ${siblings.slice(0, 10).join(', ')}${siblings.length > 10 ? ', …' : ''}.`
    : ` No app labelled '${app}' ships migrations.`;
  return new MigrationPlanError(
    `Migration '${entry.name}' depends on '${dependency}', which no app ships.${known} ` +
      `Fix the name in its \`dependencies\` (namespaced as 'app_label/name'), or register the app that ships it.`,
  );
}

function cycle(remaining: readonly MigrationEntry[], requires: Map<string, string[]>): MigrationPlanError {
  const pending = new Set(remaining.map((e) => e.name));
  // Walk unmet requirements from the first stuck migration until a name repeats: that loop is the cycle.
  const path: string[] = [];
  let current = remaining[0]!.name;
  while (!path.includes(current)) {
    path.push(current);
    current = requires.get(current)!.find((d) => pending.has(d))!;
  }
  const loop = [...path.slice(path.indexOf(current)), current].reverse();
  return new MigrationPlanError(
    `Migration dependencies form a cycle: ${loop.join(' → ')} (each runs before the next; a migration also runs after ` +
      `the previous migration of its own app). Remove one of these dependencies.`,
  );
}
