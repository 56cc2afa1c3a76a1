/**
 * `pnpm bench` runs every benchmark in bench/ and prints a table of their RESULT lines;
 * `pnpm bench NAME [NAME…]` runs the named ones. Each benchmark is a standalone script that ends
 * with lines `RESULT <name> <metric>=<value> target=<target> ok|miss`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';

const dir = __dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

interface Result {
  bench: string;
  metric: string;
  value: string;
  target: string;
  verdict: string;
}

function runOne(name: string): Promise<{ code: number; results: Result[] }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--conditions=fbs-source', '-r', 'ts-node/register', join(dir, `${name}.ts`)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    const results: Result[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const m = /^RESULT (\S+) (\S+)=(\S+) target=(\S+) (ok|miss)$/.exec(line.trim());
        if (m) results.push({ bench: m[1]!, metric: m[2]!, value: m[3]!, target: m[4]!, verdict: m[5]! });
      }
    });
    child.on('close', (code) => resolvePromise({ code: code ?? 1, results }));
  });
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  for (const name of names) {
    if (!existsSync(join(dir, `${name}.ts`))) {
      process.stderr.write(`Unknown benchmark '${name}'. Available: ${all.join(', ')}\n`);
      return 2;
    }
  }
  const results: Result[] = [];
  let failed = 0;
  for (const name of names.length ? names : all) {
    process.stdout.write(`\n== bench ${name}\n`);
    const run = await runOne(name);
    results.push(...run.results);
    if (run.code !== 0 || run.results.length === 0) failed++;
  }
  const table = new Table({ head: ['benchmark', 'metric', 'value', 'target', ''], style: { head: [], border: [] } });
  for (const r of results) table.push([r.bench, r.metric, r.value, r.target, r.verdict]);
  process.stdout.write(`\n${table.toString()}\n`);
  return failed ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
