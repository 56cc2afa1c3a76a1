import { statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@fbs/core/embedded';

/** The seed's variables that configure a database server; any of them set means "use that server". */
const SERVER_VARIABLES = ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'LIC_DB_HOST', 'LIC_DB_PORT', 'LIC_DB_USER', 'LIC_DB_PASSWORD'];

/** The PostgreSQL server the demo runs against. */
export interface DemoServer {
  /** The environment to configure the project from (the seed's variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For people: which server this is (never the password). */
  readonly description: string;
  stop(): Promise<void>;
}

/**
 * The server named by the seed's environment variables when any is set; otherwise an embedded
 * PostgreSQL whose data stays in `dataDir`, so a second run finds its databases again.
 */
export async function demoServer(env: Readonly<Record<string, string | undefined>>, dataDir: string): Promise<DemoServer> {
  if (SERVER_VARIABLES.some((name) => env[name])) {
    const where = `${env.DB_HOST ?? 'localhost'}:${env.DB_PORT ?? 5432}`;
    return { env, description: `the server from the environment (DB_HOST/DB_PORT: ${where})`, stop: async () => undefined };
  }
  const dir = usableDataDir(dataDir);
  const pg = await startEmbeddedPostgres({ dataDir: dir, persistent: true });
  const shown = path.relative(process.cwd(), dir);
  const server = { HOST: pg.host, PORT: String(pg.port), USER: pg.user, PASSWORD: pg.password };
  const overlay = Object.fromEntries(Object.entries(server).flatMap(([key, value]) => [[`DB_${key}`, value], [`LIC_DB_${key}`, value]]));
  return {
    env: { ...env, ...overlay },
    description: `embedded PostgreSQL on ${pg.host}:${pg.port} (no DB_HOST set; data kept in ${shown.startsWith('..') ? dir : shown})`,
    stop: () => pg.stop(),
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data directory.
 * When a parent directory is closed to other users (e.g. a clone under /root), keep the data in the
 * system's temporary directory instead.
 */
function usableDataDir(dataDir: string): string {
  if (process.getuid?.() !== 0) return dataDir;
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const mode = statOrUndefined(dir)?.mode;
    if (mode !== undefined && (mode & 0o001) === 0) return path.join(tmpdir(), 'fbs-example-demo', 'postgres');
    if (dir === path.dirname(dir)) return dataDir;
  }
}

function statOrUndefined(dir: string): Stats | undefined {
  try {
    return statSync(dir);
  } catch {
    return undefined;
  }
}
