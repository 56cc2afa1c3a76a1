/**
 * Runs calls for the same key one after the other (in this process; across processes an advisory
 * lock does the same). A failed call does not stop the next.
 */
export class OneAtATime {
  readonly #running = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier call for `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#running.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.#running.set(key, next);
    const clear = () => {
      if (this.#running.get(key) === next) this.#running.delete(key);
    };
    next.then(clear, clear);
    return next;
  }
}
