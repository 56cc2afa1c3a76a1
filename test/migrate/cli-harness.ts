import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { memoryIo, runCli, type ExitCode } from '@fbs/migrate/cli';
import { adminQuery, testServer, uniqueDatabaseName } from '../harness/postgres';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURE = path.join(__dirname, 'fixtures/cli');
export const BIN = path.join(ROOT, 'packages/migrate/dist/bin.js');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Builds @fbs/migrate (and @fbs/core) when the bin is missing or older than the sources. */
export function ensureBuilt(): void {
  const sources = Math.max(newest(path.join(ROOT, 'packages/migrate/src')), newest(path.join(ROOT, 'packages/core/src')));
  const core = path.join(ROOT, 'packages/core/dist/index.js');
  if (existsSync(BIN) && existsSync(core) && statSync(BIN).mtimeMs >= sources && statSync(core).mtimeMs >= newest(path.join(ROOT, 'packages/core/src'))) return;
  execFileSync('pnpm', ['--filter', '@fbs/migrate...', 'build'], { cwd: ROOT, stdio: 'pipe' });
}

/** Fresh databases for the fixture's aliases; returns alias → database name and the FBS_TEST_DATABASES value. */
export async function fixtureDatabases(aliases: readonly string[]): Promise<{ names: Record<string, string>; env: string }> {
  const server = await testServer();
  const names: Record<string, string> = {};
  for (const alias of aliases) {
    names[alias] = uniqueDatabaseName('cli');
    await adminQuery(`CREATE DATABASE "${names[alias]}"`);
  }
  return { names, env: JSON.stringify(Object.fromEntries(aliases.map((a) => [a, server.url(names[a]!)]))) };
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with `env` set in process.env for the run (the fixture config reads it). */
export async function runInProcess(argv: string[], env: Record<string, string | undefined> = {}, options: { tty?: boolean; cwd?: string; answers?: string[] } = {}): Promise<CliResult & { code: ExitCode }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  const io = memoryIo({ cwd: options.cwd ?? FIXTURE, tty: options.tty, answers: options.answers });
  try {
    const code = await runCli(argv, io);
    return { code, ...io.output() };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Starts the built bin. */
export function startBin(argv: string[], env: Record<string, string>, cwd = FIXTURE): ChildProcess & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

/** Waits until `check` resolves true (polling), or fails after `ms`. */
export async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
}

/** Whether a `pg_sleep` runs on `database` right now (a slow fixture migration is in progress). */
export async function sleeping(database: string): Promise<boolean> {
  const rows = await adminQuery("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active'", [database]);
  return rows.length > 0;
}
