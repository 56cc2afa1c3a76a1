/**
 * Exit codes of the fbs-* CLIs: 0 ok, 1 a migration (or an operation on a database) failed,
 * 2 usage or configuration error, 130 interrupted (SIGINT/SIGTERM; what committed is printed).
 *
 * @example
 * ```ts
 * process.exitCode = report.failed ? EXIT.FAILED : EXIT.OK;
 * ```
 */
export const EXIT = Object.freeze({ OK: 0, FAILED: 1, USAGE: 2, INTERRUPTED: 130 } as const);

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
