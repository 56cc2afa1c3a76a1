import { defaultTableName, type Project } from '@fbs/core';
import { dialectFor } from '@fbs/core/dialect';
import { getOptions } from 'sequelize-typescript';

/** What one database holds, read by direct SQL (not through the SDK). */
export interface DatabaseCensus {
  readonly alias: string;
  readonly database: string;
  /** Model label → row count, for every model table found there. */
  readonly models: ReadonlyMap<string, number>;
  /** Migrations recorded in the history table. */
  readonly history: readonly string[];
}

/**
 * Connects to each alias's database with a plain driver connection (the SDK's dialect module, no Sequelize) and counts the rows of every model
 * table it finds there. Proves where the routed API really wrote.
 */
export async function takeCensus(project: Project, aliases: readonly string[]): Promise<DatabaseCensus[]> {
  const tables = new Map(
    project.apps.models().map((meta) => [(getOptions(meta.model.prototype)?.tableName as string | undefined) ?? defaultTableName(meta), meta.label]),
  );
  return Promise.all(aliases.map(async (alias) => {
    const config = project.connections.config(alias);
    const dialect = dialectFor(config.dialect, `Database '${alias}'`);
    const client = await dialect.connect(alias, config);
    try {
      const found = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      const models = new Map<string, number>();
      let history: string[] = [];
      for (const { name } of found) {
        const label = tables.get(name);
        if (label !== undefined) {
          const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${dialect.quoteIdentifier(name)}`);
          models.set(label, Number(count[0]!.n));
        } else if (name === 'fbs_migrations') {
          history = (await client.query<{ name: string }>('SELECT name FROM fbs_migrations ORDER BY name')).map((r) => r.name);
        }
      }
      return { alias, database: config.database, models, history };
    } finally {
      await client.close();
    }
  }));
}
