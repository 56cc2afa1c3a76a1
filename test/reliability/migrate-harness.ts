import path from 'node:path';
import type { ThrowawayCluster } from '../harness/cluster';
import { startBin, waitFor, type CliResult } from '../migrate/cli-harness';

/** The reliability fixture: one alias `default`, the `bank` app (0001_accounts, 0002_double, 0003_index, 0004_audit). */
export const BANK = path.join(__dirname, 'fixtures/migrate');
export const ALL = ['bank/0001_accounts', 'bank/0002_double', 'bank/0003_index', 'bank/0004_audit'];

/** A query runner on one database: the shared server's `queryDatabase`, or a throwaway cluster's `query`. */
export type Query = <T extends object = any>(sql: string, params?: unknown[]) => Promise<T[]>;

export const onCluster = (cluster: ThrowawayCluster, database: string): Query => (sql, params = []) => cluster.query(sql, params, database);

/** Starts `fbs-migrate` (the built bin) in a child process on the bank fixture. */
/** Creates `database` on the cluster; returns a query function on it and the env that points fbs-migrate at it. */
export async function bankDatabase(cluster: ThrowawayCluster, database: string): Promise<{ query: Query; env: Record<string, string> }> {
  await cluster.query(`CREATE DATABASE ${database}`);
  return { query: onCluster(cluster, database), env: { FBS_TEST_DATABASES: JSON.stringify({ default: cluster.url(database) }) } };
}

export function migrator(argv: string[], env: Record<string, string>) {
  return startBin(argv, env, BANK);
}

/** The parsed `--json` report of a finished child. */
export function report(result: CliResult): { aborted: boolean; databases: { outcome: string; applied: string[]; reverted: string[]; pending?: string[]; error?: { code?: string; message: string } }[] } {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not a JSON report (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/** Waits until a `pg_sleep` of a migration runs on the database. */
export function untilSleeping(query: Query, what: string, ms = 30_000): Promise<void> {
  return waitFor(async () => (await query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active'")).length > 0, ms, what);
}

/** Server pids of idle sessions holding an advisory lock on the database: the migration lock's session. */
export async function lockSessions(query: Query): Promise<number[]> {
  const rows = await query<{ pid: number }>(
    `SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.state = 'idle'`,
  );
  return rows.map((r) => r.pid);
}

/** History names in applied order, the balance, and how often each migration ran (per direction). */
export async function bankState(query: Query): Promise<{ history: string[]; balance: number | undefined; runs: Record<string, number> }> {
  const history = (await query<{ name: string }>('SELECT name FROM fbs_migrations ORDER BY id')).map((r) => r.name);
  const balance = (await query<{ balance: number }>("SELECT balance FROM bank_account WHERE id = 1").catch(() => []))[0]?.balance;
  const runs = Object.fromEntries((await query<{ k: string; n: string }>("SELECT name || ':' || direction AS k, count(*) AS n FROM bank_runs GROUP BY 1 ORDER BY 1").catch(() => [])).map((r) => [r.k, Number(r.n)]));
  return { history, balance, runs };
}

/** Registers before/after hooks that build the CLI and start a throwaway cluster (stopped after, even on failure); returns a getter. */
export function useBuiltCliAndCluster(): () => import('../harness/cluster').ThrowawayCluster {
  let cluster: import('../harness/cluster').ThrowawayCluster | undefined;
  before(async function () {
    this.timeout(240_000);
    (await import('../migrate/cli-harness')).ensureBuilt();
    cluster = await (await import('../harness/cluster')).startCluster();
  });
  after(() => cluster?.stop());
  return () => cluster!;
}
