import type { AppSchema } from './schema-types';

/**
 * JSON with object keys sorted at every level (arrays keep their order), two-space indented and
 * newline-terminated: the same schema always serialises to the same bytes.
 *
 * @example
 * ```ts
 * stableJson({ b: 1, a: [2, 1] }); // '{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n'
 * ```
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A deep copy of `schema` with sorted keys (what snapshots and comparisons use). */
export function sortedSchema(schema: AppSchema): AppSchema {
  return sortKeys(schema) as AppSchema;
}

/** Whether two JSON values are equal (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
