/** Helpers shared by the benchmarks. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Prints `RESULT <bench> <metric>=<value> target=<target> ok|miss`. */
export function result(bench: string, metric: string, value: number, target: string, ok: boolean, digits = 3): void {
  process.stdout.write(`RESULT ${bench} ${metric}=${Number(value.toFixed(digits))} target=${target} ${ok ? 'ok' : 'miss'}\n`);
}

/** Runs a benchmark's main: an error is printed to stderr and sets exit code 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
