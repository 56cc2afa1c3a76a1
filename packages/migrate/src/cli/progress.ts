import type { EventEmitter } from 'node:events';
import { SingleBar } from 'cli-progress';
import type { CliStream } from './cli-io';
import { attachListeners } from './listeners';

/** The events a progress bar listens to (a Migrator's, or any emitter with the same per-database events). */
export interface DatabaseProgressEvents {
  'database:done': [{ alias: string }];
  'database:error': [{ alias: string }];
}

/** Options of {@link attachProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw (stderr). Nothing is drawn unless it is a TTY. */
  readonly stream: CliStream;
  /** Number of databases. No bar for fewer than 2. */
  readonly total: number;
  /** Word in front of the bar, e.g. `migrating`. */
  readonly label?: string;
  /** What is counted, after the numbers (default `databases`). */
  readonly unit?: string;
}

/**
 * Draws a progress bar over databases from an emitter's `database:done`/`database:error` events.
 * Returns `stop()` (idempotent), which clears the bar and detaches the listeners.
 *
 * @example
 * ```ts
 * const stop = attachProgressBar(migrator, { stream: io.stderr, total: aliases.length });
 * try { await migrator.up({ databases: aliases }) } finally { stop() }
 * ```
 */
export function attachProgressBar(emitter: EventEmitter<any>, options: ProgressBarOptions): () => void {
  if (!options.stream.isTTY || options.total < 2) return () => undefined;
  const bar = newBar(options.stream, `${options.label ?? 'migrating'} [{bar}] {value}/{total} ${options.unit ?? 'databases'} {alias}`);
  bar.start(options.total, 0, { alias: '' });
  const step = ({ alias }: { alias: string }) => bar.increment(1, { alias });
  return attachListeners(emitter, { 'database:done': step, 'database:error': step }, () => bar.stop());
}

/** The events of a one-database progress bar (a Migrator's). */
export interface MigrationProgressEvents {
  'database:start': [{ alias: string; due: string[] }];
  'migration:done': [{ alias: string; name: string }];
  'migration:skipped': [{ alias: string; name: string }];
}

/**
 * Draws a progress bar over the migrations of one database (`up`/`down` with one database
 * selected): its length is what the run will do there, known once the lock is taken. Nothing is
 * drawn unless the stream is a TTY. Returns `stop()` (idempotent).
 *
 * @example
 * ```ts
 * const stop = attachMigrationProgressBar(migrator, { stream: io.stderr, label: 'migrating' });
 * ```
 */
export function attachMigrationProgressBar(emitter: EventEmitter<any>, options: Omit<ProgressBarOptions, 'total'>): () => void {
  if (!options.stream.isTTY) return () => undefined;
  let bar: SingleBar | undefined;
  const start = ({ alias, due }: { alias: string; due: string[] }) => {
    if (due.length === 0) return;
    bar = newBar(options.stream, `${options.label ?? 'migrating'} ${alias} [{bar}] {value}/{total} migrations {name}`);
    bar.start(due.length, 0, { name: '' });
  };
  const step = ({ name }: { name: string }) => bar?.increment(1, { name });
  return attachListeners(emitter, { 'database:start': start, 'migration:done': step, 'migration:skipped': step }, () => bar?.stop());
}

/** A bar drawn on `stream` the way every fbs progress bar is (30 wide, cursor hidden, cleared when done). */
function newBar(stream: CliStream, format: string): SingleBar {
  return new SingleBar({ stream: stream as NodeJS.WritableStream, format, hideCursor: true, clearOnComplete: true, barsize: 30 });
}
