import Table from 'cli-table3';
import pc from 'picocolors';

/** Colour functions (picocolors). */
export type Colors = ReturnType<typeof pc.createColors>;
import type { CliIo, CliStream } from './cli-io';

/**
 * Colours for a stream: on only when it is a TTY (and `NO_COLOR` is unset), or when `FORCE_COLOR` is set.
 *
 * @example
 * ```ts
 * const c = colorsFor(io.stderr, io.env);
 * io.stderr.write(c.red('error: ') + message + '\n');
 * ```
 */
export function colorsFor(stream: CliStream, env: CliIo['env']): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  return pc.createColors(forced || (Boolean(stream.isTTY) && env.NO_COLOR === undefined));
}

/**
 * An aligned table as text (cli-table3), without colour codes unless `color` is set.
 *
 * @example
 * ```ts
 * io.stdout.write(formatTable(['Database', 'Applied'], [['default', '3']]) + '\n');
 * ```
 */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[], options: { color?: boolean } = {}): string {
  const table = new Table({
    head: [...head],
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [], compact: false },
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

/**
 * JSON for scripts: errors become `{ name, code, message }` (never a stack or a password), dates ISO strings.
 *
 * @example
 * ```ts
 * writeJson(io, await migrator.up());
 * ```
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (v instanceof Error) {
        const code = (v as { code?: unknown }).code;
        return { name: v.name, ...(typeof code === 'string' ? { code } : {}), message: v.message };
      }
      return v;
    },
    2,
  );
}

/** Writes {@link toJson} of `value` and a newline to stdout. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${toJson(value)}\n`);
}

/** Writes `error: message` (red on a TTY) to stderr. */
export function writeError(io: CliIo, error: unknown): void {
  const c = colorsFor(io.stderr, io.env);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${c.red('error:')} ${message}\n`);
}
