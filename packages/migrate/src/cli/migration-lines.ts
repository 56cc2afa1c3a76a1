import type { Migrator } from '../migrator';
import type { CliStream } from './cli-io';
import { attachListeners } from './listeners';

/** Options of {@link attachMigrationLines}. */
export interface MigrationLinesOptions {
  /** Where to write (stdout). Nothing is written on a TTY (a progress bar is drawn there instead). */
  readonly stream: CliStream;
  /** The selected aliases: the alias column is as wide as the longest. */
  readonly aliases: readonly string[];
}

/**
 * Outside a TTY (CI logs, pipes), one line per migration as it finishes, like Django's
 * `Applying app.0002_x... OK`: `default  fbs_app/0002_x  OK 12 ms` (`REVERTED` for down,
 * `SKIPPED` when another run did it meanwhile, `FAILED` when it failed). Returns `stop()`.
 *
 * @example
 * ```ts
 * const stop = attachMigrationLines(migrator, { stream: io.stdout, aliases });
 * try { await migrator.up({ databases: aliases }) } finally { stop() }
 * ```
 */
export function attachMigrationLines(migrator: Migrator, options: MigrationLinesOptions): () => void {
  const { stream } = options;
  if (stream.isTTY) return () => undefined;
  const width = Math.max(0, ...options.aliases.map((a) => a.length));
  const started = new Map<string, { name: string; at: number }>();
  const line = (alias: string, name: string, result: string) => stream.write(`${alias.padEnd(width)}  ${name}  ${result}\n`);
  const ms = (at: number) => `${Math.round(performance.now() - at)} ms`;
  const onStart = ({ alias, name }: { alias: string; name: string }) => started.set(alias, { name, at: performance.now() });
  const onDone = ({ alias, name, direction, durationMs, faked }: { alias: string; name: string; direction: 'up' | 'down'; durationMs: number; faked?: boolean }) => {
    started.delete(alias);
    const verb = faked ? 'FAKED' : direction === 'up' ? 'OK' : 'REVERTED';
    line(alias, name, `${verb} ${Math.round(durationMs)} ms`);
  };
  const onSkipped = ({ alias, name }: { alias: string; name: string }) => {
    started.delete(alias);
    line(alias, name, 'SKIPPED (another run did it meanwhile)');
  };
  const onError = ({ alias, error }: { alias: string; error: Error }) => {
    const current = started.get(alias);
    started.delete(alias);
    if (current) line(alias, current.name, `${error.name === 'MigrationAbortedError' ? 'STOPPED' : 'FAILED'} ${ms(current.at)}`);
  };
  return attachListeners(migrator, { 'migration:start': onStart, 'migration:done': onDone, 'migration:skipped': onSkipped, 'database:error': onError });
}
