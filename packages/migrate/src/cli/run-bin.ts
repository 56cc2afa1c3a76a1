/**
 * The shell of a bin (fbs-migrate, fbs-solutions): runs `main` with an AbortSignal that the first
 * SIGINT/SIGTERM aborts (the run stops after its current step and reports; exit 130), restores the
 * default behaviour so a second signal ends the process at once, and sets the exit code without
 * forcing an exit, so output is flushed. Only bins call it; libraries never touch process signals.
 *
 * @example
 * ```ts
 * runBin((signal) => runCli(process.argv.slice(2), processIo(), { signal }));
 * ```
 */
export function runBin(main: (signal: AbortSignal) => Promise<number>): void {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    detach();
    controller.abort(new Error(`received ${signal}`));
  };
  const detach = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  void main(controller.signal).then((code) => {
    detach();
    process.exitCode = code;
  });
}
