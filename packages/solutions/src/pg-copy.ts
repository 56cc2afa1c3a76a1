import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalizedDatabaseConfig } from '@fbs/core';

/** Where `pg_dump` and `pg_restore` are (part of `MoveOptions`). */
export interface PgToolsConfig {
  /** Folder of the PostgreSQL client binaries. Default: `FBS_PG_BINDIR`, else `pg_config --bindir`, else `PATH`. */
  readonly binDir?: string;
}

/** The two binaries a copy needs, or the reason they cannot be used (nothing has run then). */
export function findPgTools(config: PgToolsConfig = {}): { dump: string; restore: string } | { missing: string } {
  const dirs = [config.binDir, process.env.FBS_PG_BINDIR].filter((d): d is string => Boolean(d));
  if (dirs.length === 0) {
    // pg_config's folder first: on Debian, PATH has pg_wrapper scripts, a Perl start-up slower than the copy of a small database.
    const bindir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
    if (bindir.status === 0) dirs.push(bindir.stdout.trim());
    dirs.push(...(process.env.PATH ?? '').split(':').filter(Boolean));
  }
  const dir = dirs.find((d) => existsSync(join(d, 'pg_dump')) && existsSync(join(d, 'pg_restore')));
  if (!dir) {
    return {
      missing:
        `pg_dump and pg_restore were not found (${dirs.length ? `looked in ${dirs.join(', ')}` : 'no pg_config, nothing on PATH'}). ` +
        'Install the PostgreSQL client binaries of the servers\' major version (e.g. apt-get install postgresql-client-15), or point tools.binDir / FBS_PG_BINDIR at them.',
    };
  }
  return { dump: join(dir, 'pg_dump'), restore: join(dir, 'pg_restore') };
}

/** libpq environment of one database (the password goes in PGPASSWORD, never on a command line). */
function libpqEnv(server: NormalizedDatabaseConfig, database: string): NodeJS.ProcessEnv {
  const ssl = (server.dialectOptions as { ssl?: unknown } | undefined)?.ssl;
  return {
    ...process.env,
    PGHOST: server.host ?? 'localhost',
    PGPORT: String(server.port ?? 5432),
    PGUSER: server.username ?? process.env.PGUSER ?? 'postgres',
    PGDATABASE: database,
    ...(server.password ? { PGPASSWORD: String(server.password) } : {}),
    ...(ssl ? { PGSSLMODE: 'require' } : {}),
    PGCONNECT_TIMEOUT: '10',
  };
}

/**
 * Copies database `database` from server `from` to the (empty) database of the same name on `to`:
 * `pg_dump -Fc | pg_restore --single-transaction --exit-on-error`, without owners or grants (the
 * target's are set by the caller; `role` restores as that role so its objects are the role's).
 */
export function pgCopy(tools: { dump: string; restore: string }, from: NormalizedDatabaseConfig, to: NormalizedDatabaseConfig, database: string, role?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const dump = spawn(tools.dump, ['-Fc', '--no-owner', '--no-acl', '--compress=0'], { env: libpqEnv(from, database), stdio: ['ignore', 'pipe', 'pipe'] });
    const args = ['--no-owner', '--no-acl', '--single-transaction', '--exit-on-error', '-d', database, ...(role ? [`--role=${role}`] : [])];
    const restore = spawn(tools.restore, args, { env: libpqEnv(to, database), stdio: ['pipe', 'ignore', 'pipe'] });
    const errors = { dump: '', restore: '' };
    dump.stderr.on('data', (d) => (errors.dump += d));
    restore.stderr.on('data', (d) => (errors.restore += d));
    dump.stdout.pipe(restore.stdin);
    restore.stdin.on('error', () => undefined);
    let exits = 0;
    const codes: Record<string, number | null> = {};
    const done = (name: 'dump' | 'restore') => (code: number | null) => {
      codes[name] = code;
      if (++exits < 2) return;
      if (codes.dump === 0 && codes.restore === 0) resolve();
      else {
        const which = codes.dump !== 0 ? `pg_dump exited with ${codes.dump}: ${errors.dump.trim()}` : `pg_restore exited with ${codes.restore}: ${errors.restore.trim()}`;
        reject(new Error(`Copying ${database}: ${which}`.slice(0, 2_000)));
      }
    };
    dump.on('error', reject);
    restore.on('error', reject);
    dump.on('close', done('dump'));
    restore.on('close', done('restore'));
  });
}
