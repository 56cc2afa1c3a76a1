import { InvalidArgumentError } from 'commander';

/**
 * Collects a repeatable option's values into a list (commander's argument parser).
 *
 * @example
 * ```ts
 * command.option('-s, --solution <name>', 'a solution (repeatable)', collect); // -s a -s b → ['a', 'b']
 * ```
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a positive integer option value; commander reports the error (exit code 2). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return n;
}

/** Parses a duration: `500ms`, `30s`, `2m`, or a whole number of milliseconds; commander reports the error (exit code 2). */
export function duration(value: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  const n = match ? Number(match[1]) * (match[2] === 'm' ? 60_000 : match[2] === 's' ? 1000 : 1) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a duration such as 500ms, 30s or 2m, got '${value}'.`);
  return n;
}
