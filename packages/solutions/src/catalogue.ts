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
  /** The server of each database, keyed by kind, e.g. `{ djo: 'pg1', fbs: 'pg1' }`. */
  readonly servers: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** Set while a move of the solution is under way or was interrupted (see `move()`). */
  readonly move?: MoveJournal;
}

/** The journal of a move, in the solution's catalogue row: where it goes and the last step begun. */
export interface MoveJournal {
  /** Kind → server before the move. */
  readonly from: Readonly<Record<string, string>>;
  /** Kind → server after it. */
  readonly to: Readonly<Record<string, string>>;
  /** The step begun last (see `MOVE_STEPS`). */
  readonly step: string;
  readonly startedAt: string;
}

interface Row {
  name: string;
  state: SolutionState;
  databases: Record<string, string> | string;
  servers: Record<string, string> | string | null;
  move: MoveJournal | string | null;
  created_at: Date;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * The table of solutions in the system database (alias `default` unless configured), so every
 * process knows every solution. Its statements never join an ambient transaction of that alias.
 */
export class SolutionCatalogue {
  readonly #project: Project;
  readonly #alias: string;
  readonly #table: string;
  readonly #name: string;
  /** Where the databases of a row without servers are (rows written before servers were recorded). */
  readonly #legacy: () => string;
  #ready: Promise<void> | undefined;

  constructor(project: Project, alias: string, table: string, legacyServer: () => string) {
    this.#project = project;
    this.#alias = alias;
    this.#name = table;
    this.#table = `"${table}"`;
    this.#legacy = legacyServer;
  }

  /** Creates the table if it does not exist, or adds the columns later versions need (once per catalogue; retried after a failure). */
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
  async begin(name: string, databases: Record<string, string>, servers: Record<string, string>): Promise<SolutionRecord> {
    const sql =
      `WITH inserted AS (INSERT INTO ${this.#table} (name, state, databases, servers) VALUES ($1, 'creating', $2::jsonb, $3::jsonb) ON CONFLICT (name) DO NOTHING RETURNING *) ` +
      `SELECT * FROM inserted UNION ALL SELECT * FROM ${this.#table} WHERE name = $1`;
    const rows = await this.#select(sql, [name, JSON.stringify(databases), JSON.stringify(servers)]);
    return rows[0]!;
  }

  /** Writes the move journal of `name` (null clears it), optionally switching its servers in the same statement. */
  async journal(name: string, move: MoveJournal | null, servers?: Record<string, string>): Promise<void> {
    const set = servers ? ', servers = $3::jsonb' : '';
    await this.#run(`UPDATE ${this.#table} SET move = $2::jsonb${set}, updated_at = now() WHERE name = $1`, [name, move && JSON.stringify(move), ...(servers ? [JSON.stringify(servers)] : [])]);
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
      `databases jsonb NOT NULL, servers jsonb NOT NULL DEFAULT '{}'::jsonb, move jsonb, ` +
      `created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`;
    const connection = this.#project.connection(this.#alias);
    try {
      await connection.query(sql, { transaction: null } as any);
    } catch (error) {
      // Two processes creating the table at once: the loser sees a duplicate type; the table exists.
      if ((error as { parent?: { code?: string } }).parent?.code !== '23505') throw error;
    }
    // A catalogue of an earlier version (no servers, no move journal): add the columns, once.
    const columns = (await connection.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, {
      bind: [this.#name], type: QueryTypes.SELECT, transaction: null,
    } as any)) as unknown as { column_name: string }[];
    const have = new Set(columns.map((c) => c.column_name));
    if (!have.has('servers')) await connection.query(`ALTER TABLE ${this.#table} ADD COLUMN IF NOT EXISTS servers jsonb NOT NULL DEFAULT '{}'::jsonb`, { transaction: null } as any);
    if (!have.has('move')) await connection.query(`ALTER TABLE ${this.#table} ADD COLUMN IF NOT EXISTS move jsonb`, { transaction: null } as any);
  }

  async #select(sql: string, bind: unknown[]): Promise<SolutionRecord[]> {
    await this.ensure();
    const rows = (await this.#project.connection(this.#alias).query(sql, { bind, type: QueryTypes.SELECT, transaction: null } as any)) as unknown as Row[];
    return rows.map((r) => {
      const databases: Record<string, string> = json(r.databases);
      const given: Record<string, string> = r.servers ? json(r.servers) : {};
      const servers = Object.fromEntries(Object.keys(databases).map((kind) => [kind, given[kind] ?? this.#legacy()]));
      const move = r.move ? json(r.move) : undefined;
      return { name: r.name, state: r.state, databases: Object.freeze(databases), servers: Object.freeze(servers), createdAt: r.created_at, ...(move ? { move } : {}) };
    });
  }

  async #run(sql: string, bind: unknown[]): Promise<void> {
    await this.ensure();
    await this.#project.connection(this.#alias).query(sql, { bind, transaction: null } as any);
  }
}
