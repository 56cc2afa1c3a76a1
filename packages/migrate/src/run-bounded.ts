import pLimit from 'p-limit';

/** Maps `items` through `fn` with at most `concurrency` calls in flight; results keep the input order. */
export function runBounded<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency);
  return Promise.all(items.map((item) => limit(() => fn(item))));
}
