import { closest } from '@fbs/core';
import { MigrationPlanError } from './errors';
import type { MigrationEntry } from './migration-entry';

/**
 * `up({ apps })` (Django's `migrate app_label`): the names of the selected apps' migrations and of
 * every migration they need first: their explicit `dependencies`, transitively, each with the
 * migrations before it in its own app (which it implicitly depends on). Unknown labels are a
 * {@link MigrationPlanError} naming the closest label.
 *
 * @example
 * ```ts
 * selectApps(entries, ['billing'], project.apps.apps().map((a) => a.label)); // Set { 'core/0001_initial', 'billing/0001_initial', … }
 * ```
 */
export function selectApps(entries: readonly MigrationEntry[], labels: readonly string[], known: readonly string[]): Set<string> {
  for (const label of labels) {
    if (known.includes(label)) continue;
    const guess = closest(label, known);
    throw new MigrationPlanError(`No app is labelled '${label}'.${guess ? ` Did you mean '${guess}'?` : ''} Apps: ${known.join(', ') || '(none)'}.`);
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const selected = new Set<string>();
  const stack = entries.filter((e) => labels.includes(e.appLabel));
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (selected.has(entry.name)) continue;
    selected.add(entry.name);
    const earlier = entries.filter((e) => e.appLabel === entry.appLabel && e.localName < entry.localName);
    stack.push(...earlier, ...entry.dependencies.map((d) => byName.get(d)!).filter(Boolean));
  }
  return selected;
}
