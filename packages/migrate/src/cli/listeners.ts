import type { EventEmitter } from 'node:events';

/**
 * Attaches `listeners` (event name → listener) to `emitter`; the returned `stop()` (idempotent)
 * detaches them all, then runs `end` (e.g. stopping a progress bar).
 *
 * @example
 * ```ts
 * const stop = attachListeners(migrator, { 'migration:done': step, 'migration:skipped': step }, () => bar.stop());
 * ```
 */
export function attachListeners(emitter: EventEmitter<any>, listeners: Record<string, (payload: any) => void>, end: () => void = () => undefined): () => void {
  for (const [event, listener] of Object.entries(listeners)) emitter.on(event, listener);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const [event, listener] of Object.entries(listeners)) emitter.off(event, listener);
    end();
  };
}
