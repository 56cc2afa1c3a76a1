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
  /** Asks the user a question and resolves with the answer; absent when nobody can answer (stdin is not a terminal). */
  readonly ask?: (question: string) => Promise<string>;
}

/** The process's own streams, cwd and environment. */
export function processIo(): CliIo {
  const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
  return process.stdin.isTTY ? { ...io, ask: askOnTerminal } : io;
}

async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** An in-memory io for tests and embedding: `output()` returns what was written. */
export function memoryIo(
  options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean; answers?: readonly string[] } = {},
): CliIo & { output(): { stdout: string; stderr: string } } {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  const answers = options.answers ? [...options.answers] : undefined;
  return {
    ...(answers ? { ask: async (question: string) => ((err += question), answers.shift() ?? '') } : {}),
    stdout: { write: (s: string) => (out += s), isTTY: tty, columns: 120 },
    stderr: { write: (s: string) => (err += s), isTTY: tty, columns: 120 },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    output: () => ({ stdout: out, stderr: err }),
  };
}
