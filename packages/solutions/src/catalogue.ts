import { QueryTypes } from 'sequelize';
import type { Project } from '@fbs/core';
import { dialectFor, type CatalogueStatements, type Dialect } from '@fbs/core/dialect';

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
  readonly #sql: CatalogueStatements;
  readonly #dialect: Dialect;
  #ready: Promise<void> | undefined;

  constructor(project: Project, alias: string, table: string) {
    this.#project = project;
    this.#alias = alias;
    this.#dialect = dialectFor(project.connections.config(alias).dialect, `The system database '${alias}' (catalogue of solutions)`);
    this.#sql = this.#dialect.catalogueStatements(table);
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
    const rows = await this.#select(this.#sql.get, [name]);
    return rows[0];
  }

  /** Every solution, by name. */
  async list(): Promise<SolutionRecord[]> {
    return this.#select(this.#sql.list, []);
  }

  /** Records `name` as `creating` unless it is recorded already; returns the row as it now stands. */
  async begin(name: string, databases: Record<string, string>): Promise<SolutionRecord> {
    const rows = await this.#select(this.#sql.begin, [name, JSON.stringify(databases)]);
    return rows[0]!;
  }

  async setState(name: string, state: SolutionState): Promise<void> {
    await this.#run(this.#sql.setState, [name, state]);
  }

  async remove(name: string): Promise<void> {
    await this.#run(this.#sql.remove, [name]);
  }

  async #create(): Promise<void> {
    try {
      await this.#project.connection(this.#alias).query(this.#sql.create, { transaction: null } as any);
    } catch (error) {
      // Two processes creating the table at once: the loser sees a duplicate type; the table exists.
      if (this.#dialect.classifyError(error) !== 'unique-violation') throw error;
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
