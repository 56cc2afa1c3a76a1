import { Sequelize } from 'sequelize-typescript';
import { createProject, type App, type DatabaseConfig, type DatabaseRouter, type ModelMeta, type Project, type RoutingHints } from '@fbs/core';
import { createDatabases, queryDatabase, testServer } from '../../harness/postgres';

/** The two databases every feature runs on: `a` inside `withHints({ shard: 'a' })`, `b` otherwise. */
export type Shard = 'a' | 'b';
export const SHARDS: readonly Shard[] = ['a', 'b'];

/** The shard that is not `db`. */
export function otherShard(db: Shard): Shard {
  return db === 'a' ? 'b' : 'a';
}

/**
 * Sends every model of the given apps to `hints.shard` (`a` or `b`), and to `b` when there is no hint;
 * everything else has no opinion (→ `default`). Reads and writes alike.
 */
export class ShardRouter implements DatabaseRouter {
  readonly #labels: ReadonlySet<string>;
  constructor(labels: readonly string[]) {
    this.#labels = new Set(labels);
  }
  dbForRead(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#labels.has(model.appLabel) ? ((hints.shard as string | undefined) ?? 'b') : null;
  }
  dbForWrite(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#labels.has(model.appLabel) ? ((hints.shard as string | undefined) ?? 'b') : null;
  }
}

export interface FeatureWorld {
  project: Project;
  /** alias → physical database name */
  names: Record<string, string>;
  /** Runs SQL on the database behind `alias` over a direct pg connection (never through the SDK). */
  sql<T extends object = any>(alias: string, sql: string, params?: unknown[]): Promise<T[]>;
  /** Rows of `table` behind `alias`, ordered by the first column, over a direct connection. */
  rows(alias: string, table: string, where?: string): Promise<any[]>;
  /** Row counts of `table` in default, a and b (direct connections). */
  counts(table: string, where?: string): Promise<Record<'default' | Shard, number>>;
  /** Runs `fn` where the router sends the feature apps to `db`: inside `withHints({ shard: 'a' })`, or with no hints for `b`. */
  on<T>(db: Shard, fn: () => Promise<T>): Promise<T>;
  /** Another project on the same databases (other routers / database options). */
  reroute(routers: DatabaseRouter[], databaseOptions?: object): Project;
  close(): Promise<void>;
}

export interface FeatureOptions {
  /** Routers of the project (default: a ShardRouter over every app given). */
  routers?: DatabaseRouter[];
  /** Extra Sequelize options of every database (e.g. `hooks`). */
  databaseOptions?: object;
}

/**
 * Creates fresh databases `default`, `a` and `b`, the tables of `apps` in each (with plain
 * sequelize-typescript instances, one per app, so table creation does not depend on the SDK), and a project routing
 * the apps with a {@link ShardRouter}.
 */
export async function setupFeatures(prefix: string, apps: App[], options: FeatureOptions = {}): Promise<FeatureWorld> {
  const server = await testServer();
  const aliases = ['default', 'a', 'b'] as const;
  const dbs = await createDatabases(aliases.length, `feat_${prefix}`);
  const names = Object.fromEntries(aliases.map((alias, i) => [alias, dbs[i]!]));
  // One plain Sequelize per app and database: two apps may both have a model named `User`.
  for (const alias of aliases) {
    for (const app of apps) {
      const plain = new Sequelize(server.url(names[alias]!), { logging: false, repositoryMode: true, models: [...app.models] as any });
      try {
        await plain.sync();
      } finally {
        await plain.close();
      }
    }
  }
  const projects: Project[] = [];
  const make = (routers: DatabaseRouter[], databaseOptions: object | undefined) => {
    const databases: Record<string, DatabaseConfig> = Object.fromEntries(
      aliases.map((alias) => [alias, databaseOptions ? { url: server.url(names[alias]!), ...databaseOptions } : server.url(names[alias]!)]),
    );
    const p = createProject({ databases, routers, apps });
    projects.push(p);
    return p;
  };
  const project = make(options.routers ?? [new ShardRouter(apps.map((a) => a.label))], options.databaseOptions);
  const sql = <T extends object = any>(alias: string, text: string, params: unknown[] = []) => queryDatabase<T>(names[alias]!, text, params);
  return {
    project,
    names,
    sql,
    rows: (alias, table, where) => sql(alias, `SELECT * FROM "${table}"${where ? ` WHERE ${where}` : ''} ORDER BY 1`),
    counts: async (table, where) => {
      const out = {} as Record<'default' | Shard, number>;
      for (const alias of aliases) {
        const [row] = await sql(alias, `SELECT count(*)::int AS n FROM "${table}"${where ? ` WHERE ${where}` : ''}`);
        out[alias] = row.n;
      }
      return out;
    },
    on: (db, fn) => (db === 'a' ? project.withHints({ shard: 'a' }, fn) : fn()),
    reroute: (routers, databaseOptions) => make(routers, databaseOptions),
    close: async () => {
      for (const p of projects) await p.close();
    },
  };
}

/** `{ default: 0, a: 0, b: 0 }` with `n` rows on `db`. */
export function onlyOn(db: Shard, n: number): Record<'default' | Shard, number> {
  return { default: 0, a: db === 'a' ? n : 0, b: db === 'b' ? n : 0 };
}
