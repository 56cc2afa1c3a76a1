import { QueryTypes } from 'sequelize';
import type { Project } from '@fbs/core';

/** Where a solution is in its lifecycle. `creating`/`dropping` rows are left by an interrupted call and finished by the next. */
export type SolutionState = 'creating' | 'ready' | 'dropping';

/** One solution as the catalogue records it. */
export interface SolutionRecord {
  readonly name: string;
  readonly state: SolutionState;
  /** Database names (also their aliases) keyed by kind, e.g. `{ djo: 'djo_acme_db', fbs: 'fbs_acme_db' }`. */
  readonly databases: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

interface Row {
  name: string;
  state: SolutionState;
  databases: Record<string, string> | string;
  created_at: Date;
}

/**
 * The table of solutions in the system database (alias `default` unless configured), so every
 * process knows every solution. Its statements never join an ambient transaction of that alias.
 */
export class SolutionCatalogue {
  readonly #project: Project;
  readonly #alias: string;
  readonly #table: string;
  #ready: Promise<void> | undefined;

  constructor(project: Project, alias: string, table: string) {
    this.#project = project;
    this.#alias = alias;
    this.#table = `"${table}"`;
  }

  /** Creates the table if it does not exist (once per catalogue; retried after a failure). */
  ensure(): Promise<void> {
    this.#ready ??= this.#create().catch((error) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async get(name: string): Promise<SolutionRecord | undefined> {
    const rows = await this.#select(`SELECT * FROM ${this.#table} WHERE name = $1`, [name]);
    return rows[0];
  }

  /** Every solution, by name. */
  async list(): Promise<SolutionRecord[]> {
    return this.#select(`SELECT * FROM ${this.#table} ORDER BY name`, []);
  }

  /** Records `name` as `creating` unless it is recorded already; returns the row as it now stands. */
  async begin(name: string, databases: Record<string, string>): Promise<SolutionRecord> {
    const sql =
      `WITH inserted AS (INSERT INTO ${this.#table} (name, state, databases) VALUES ($1, 'creating', $2::jsonb) ON CONFLICT (name) DO NOTHING RETURNING *) ` +
      `SELECT * FROM inserted UNION ALL SELECT * FROM ${this.#table} WHERE name = $1`;
    const rows = await this.#select(sql, [name, JSON.stringify(databases)]);
    return rows[0]!;
  }

  async setState(name: string, state: SolutionState): Promise<void> {
    await this.#run(`UPDATE ${this.#table} SET state = $2, updated_at = now() WHERE name = $1`, [name, state]);
  }

  async remove(name: string): Promise<void> {
    await this.#run(`DELETE FROM ${this.#table} WHERE name = $1`, [name]);
  }

  async #create(): Promise<void> {
    const sql =
      `CREATE TABLE IF NOT EXISTS ${this.#table} (name varchar(40) PRIMARY KEY, state varchar(16) NOT NULL, ` +
      `databases jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`;
    try {
      await this.#project.connection(this.#alias).query(sql, { transaction: null } as any);
    } catch (error) {
      // Two processes creating the table at once: the loser sees a duplicate type; the table exists.
      if ((error as { parent?: { code?: string } }).parent?.code !== '23505') throw error;
    }
  }

  async #select(sql: string, bind: unknown[]): Promise<SolutionRecord[]> {
    await this.ensure();
    const rows = (await this.#project.connection(this.#alias).query(sql, { bind, type: QueryTypes.SELECT, transaction: null } as any)) as unknown as Row[];
    return rows.map((r) => ({
      name: r.name,
      state: r.state,
      databases: Object.freeze(typeof r.databases === 'string' ? JSON.parse(r.databases) : r.databases),
      createdAt: r.created_at,
    }));
  }

  async #run(sql: string, bind: unknown[]): Promise<void> {
    await this.ensure();
    await this.#project.connection(this.#alias).query(sql, { bind, transaction: null } as any);
  }
}
