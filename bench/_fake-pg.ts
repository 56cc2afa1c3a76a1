/**
 * A stand-in for the `pg` module that answers every statement at once, in process, so that a
 * benchmark times only client-side JavaScript (Sequelize, the SDK) — Sequelize's public
 * `dialectModule` option loads it. It understands just enough SQL for the routing benchmark:
 * SELECT lists (one row, or one row per include), INSERT … RETURNING, and session statements.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';

type Callback = (error: Error | null, result?: unknown) => void;

let nextId = 1_000_000;

/** Splits a SELECT list on top-level commas. */
function selectList(sql: string): string[] {
  const match = /^SELECT (.*?) FROM /s.exec(sql);
  if (!match) return [];
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of match[1]!) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === ',') {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) items.push(current.trim());
  return items;
}

function keyOf(item: string): string {
  const alias = / AS "([^"]+)"$/.exec(item);
  if (alias) return alias[1]!;
  const names = [...item.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  return names[names.length - 1] ?? item;
}

function valueFor(key: string, params: readonly unknown[]): unknown {
  const last = key.split('.').pop()!;
  if (/(^id|Id)$/.test(last)) return 1;
  if (last === 'qty') return 1;
  return params.length > 0 && typeof params[0] === 'string' ? params[0] : 'x';
}

function answer(sql: string, params: readonly unknown[]): { rows: object[]; rowCount: number; command: string } {
  if (sql.startsWith('SELECT') && / FROM /.test(sql)) {
    const row = Object.fromEntries(selectList(sql).map((item) => [keyOf(item), valueFor(keyOf(item), params)]));
    return { rows: [row], rowCount: 1, command: 'SELECT' };
  }
  const returning = / RETURNING (.*);?$/s.exec(sql);
  if (sql.startsWith('INSERT') && returning) {
    const columns = returning[1]!.replace(/;$/, '').split(',').map((c) => c.trim().replace(/"/g, ''));
    let p = 0;
    const row = Object.fromEntries(columns.map((c) => [c, c === 'id' ? nextId++ : params[p++]]));
    return { rows: [row], rowCount: 1, command: 'INSERT' };
  }
  return { rows: [], rowCount: 0, command: sql.split(' ')[0]!.toUpperCase() };
}

class FakeClient extends EventEmitter {
  readonly connection = new EventEmitter();
  readonly processID = 0;
  constructor(_config: object) {
    super();
  }
  connect(callback: Callback): void {
    queueMicrotask(() => callback(null));
  }
  query(sql: string, params?: unknown[] | Callback, callback?: Callback): Promise<unknown> | void {
    const done = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : [];
    if (done === undefined) return Promise.resolve(answer(sql, values));
    queueMicrotask(() => done(null, answer(sql, values)));
  }
  end(callback?: Callback): void {
    queueMicrotask(() => {
      this.emit('end');
      callback?.(null);
    });
  }
}

/** The module to pass as Sequelize's `dialectModule`. */
export const fakePg: { Client: typeof FakeClient; types: unknown; native: null } = { Client: FakeClient, types: pg.types, native: null };
