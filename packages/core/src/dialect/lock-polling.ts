/** Options of {@link pollLock}. */
export interface PollOptions {
  /** Give up after this many milliseconds (`0`: one try; undefined: wait for as long as it takes). */
  readonly timeoutMs?: number;
  /** Stop waiting when aborted (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal;
  /** Called once, after the first failed try, before waiting. */
  readonly onBusy?: () => void | Promise<void>;
  /** First pause between tries (default 25 ms), doubled up to `maxDelayMs` (default 500 ms), with jitter. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Calls `tryOnce` until it returns true, sleeping with exponential backoff in between; resolves
 * `true` when it got the lock, `false` on timeout. Waiting this way holds nothing on the server
 * between tries (no blocking statement, no snapshot), so it cannot deadlock with a
 * `CREATE INDEX CONCURRENTLY` that waits for old snapshots.
 */
export async function pollLock(tryOnce: () => Promise<boolean>, options: PollOptions = {}): Promise<boolean> {
  const { timeoutMs, signal } = options;
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let delay = options.minDelayMs ?? 25;
  const maxDelay = options.maxDelayMs ?? 500;
  let first = true;
  for (;;) {
    signal?.throwIfAborted();
    if (await tryOnce()) return true;
    if (first) {
      first = false;
      await options.onBusy?.();
    }
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(left, delay * (0.75 + Math.random() / 2)), signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
