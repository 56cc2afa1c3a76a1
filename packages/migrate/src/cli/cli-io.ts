/** A stream the CLI writes to. */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Where a CLI run reads and writes: streams, working directory and environment. Tests pass
 * in-memory streams; the bins pass {@link processIo}.
 */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams, cwd and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** An in-memory io for tests and embedding: `output()` returns what was written. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {}): CliIo & { output(): { stdout: string; stderr: string } } {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  return {
    stdout: { write: (s: string) => (out += s), isTTY: tty, columns: 120 },
    stderr: { write: (s: string) => (err += s), isTTY: tty, columns: 120 },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    output: () => ({ stdout: out, stderr: err }),
  };
}
