import { QueryTypes } from 'sequelize';
import type { Project } from '@fbs/core';
import { dialectFor, type CatalogueStatements, type Dialect } from '@fbs/core/dialect';

/** Where a solution is in its lifecycle. `creating`/`dropping` rows are left by an interrupted call and finished by the next. */
export type SolutionState = 'creating' | 'ready' | 'dropping';

/** One solution as the catalogue records it (and as `create()`, `info()` and `records()` return it: `SolutionInfo`). */
export interface SolutionRecord {
  readonly name: string;
  readonly state: SolutionState;
  /** Database names (also their aliases) keyed by kind, e.g. `{ djo: 'djo_acme_db', fbs: 'fbs_acme_db' }`. */
  readonly databases: Readonly<Record<string, string>>;
  /** The server of each database, keyed by kind (`{ djo: 'pg1', fbs: 'pg1' }`; `default` without `servers` in the config). */
  readonly servers: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** Set while a move of the solution is under way or was interrupted (rerun `move()` to finish or revert it). */
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
  readonly #sql: CatalogueStatements;
  readonly #dialect: Dialect;
  readonly #name: string;
  /** Where the databases of a row without servers are (rows written before servers were recorded). */
  readonly #legacy: () => string;
  #ready: Promise<void> | undefined;

  constructor(project: Project, alias: string, table: string, legacyServer: () => string) {
    this.#project = project;
    this.#alias = alias;
    this.#name = table;
    this.#legacy = legacyServer;
    this.#dialect = dialectFor(project.connections.config(alias).dialect, `The system database '${alias}' (catalogue of solutions)`);
    this.#sql = this.#dialect.catalogueStatements(table);
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
    const rows = await this.#select(this.#sql.get, [name]);
    return rows[0];
  }

  /** Every solution, by name. */
  async list(): Promise<SolutionRecord[]> {
    return this.#select(this.#sql.list, []);
  }

  /** Records `name` as `creating` unless it is recorded already; returns the row as it now stands. */
  async begin(name: string, databases: Record<string, string>, servers: Record<string, string>): Promise<SolutionRecord> {
    const rows = await this.#select(this.#sql.begin, [name, JSON.stringify(databases), JSON.stringify(servers)]);
    return rows[0]!;
  }

  /** Writes the move journal of `name` (null clears it); with `servers`, switches them in the same statement. */
  async journal(name: string, move: MoveJournal | null, servers?: Record<string, string>): Promise<void> {
    const journal = move && JSON.stringify(move);
    if (servers) await this.#run(this.#sql.journalSwitch, [name, journal, JSON.stringify(servers)]);
    else await this.#run(this.#sql.journal, [name, journal]);
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
    // A catalogue of an earlier version (no servers, no move journal): add the columns, once.
    const connection = this.#project.connection(this.#alias);
    const columns = (await this.#project.pinPrimary(() => connection.query(this.#sql.columns, { bind: [this.#name], type: QueryTypes.SELECT, transaction: null } as any))) as unknown as { column_name: string }[];
    const have = new Set(columns.map((c) => c.column_name));
    if (!have.has('servers')) await connection.query(this.#sql.addServers, { transaction: null } as any);
    if (!have.has('move')) await connection.query(this.#sql.addMove, { transaction: null } as any);
  }

  async #select(sql: string, bind: unknown[]): Promise<SolutionRecord[]> {
    await this.ensure();
    // On the primary even when the system database has replicas: a lagging replica must not admit a
    // dropped solution or miss a new one, and `begin` is an INSERT … RETURNING.
    const connection = this.#project.connection(this.#alias);
    const rows = (await this.#project.pinPrimary(() => connection.query(sql, { bind, type: QueryTypes.SELECT, transaction: null } as any))) as unknown as Row[];
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
