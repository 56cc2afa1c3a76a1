import { SchemaError } from '../errors';

/** A rename `make` may not guess: a table (`table` undefined) or a column of `table`. */
export interface RenameQuestion {
  /** The table the column belongs to (its name after any table rename); undefined for a table rename. */
  readonly table?: string;
  readonly from: string;
  readonly to: string;
}

/** A `--rename` value parsed: `old:new` (a table) or `table.old:new` (a column). */
export type RenameAnswer = RenameQuestion;

/** How renames are decided: flags, then `ask` (a TTY prompt), else an ambiguity is an error. */
export interface RenameOptions {
  /** Renames given up front (`--rename`). */
  readonly renames?: readonly RenameAnswer[];
  /** Every other rename candidate is a drop + add (`--no-rename-detection`). */
  readonly noRenames?: boolean;
  /** Asks whether a candidate is a rename (the CLI asks on a TTY). Without it, candidates are an error. */
  readonly ask?: (question: RenameQuestion) => Promise<boolean> | boolean;
}

const SPEC = /^(?:([A-Za-z_][A-Za-z0-9_$]*)\.)?([A-Za-z_][A-Za-z0-9_$]*):([A-Za-z_][A-Za-z0-9_$]*)$/;

/**
 * Parses a `--rename` value.
 *
 * @example
 * ```ts
 * parseRename('shop_order.title:name'); // { table: 'shop_order', from: 'title', to: 'name' }
 * parseRename('shop_cart:shop_basket'); // { from: 'shop_cart', to: 'shop_basket' }
 * ```
 */
export function parseRename(value: string): RenameAnswer {
  const match = SPEC.exec(value.trim());
  if (!match) throw new SchemaError(`--rename ${JSON.stringify(value)} is not old:new (a table) or table.old:new (a column), e.g. --rename shop_order.title:name.`);
  return match[1] ? { table: match[1], from: match[2]!, to: match[3]! } : { from: match[2]!, to: match[3]! };
}

/** `--rename` spelling of a question. */
export function renameFlag(q: RenameQuestion): string {
  return q.table ? `${q.table}.${q.from}:${q.to}` : `${q.from}:${q.to}`;
}

/**
 * Decides which of `removed` × `added` are renames: pairs `similar` says could be one are asked
 * (or answered by a flag); a flag naming a pair that exists is honoured even when not similar.
 * Unanswerable candidates throw one {@link SchemaError} naming them all and the flags.
 */
export async function decideRenames(
  scope: { table?: string; removed: readonly string[]; added: readonly string[]; similar: (from: string, to: string) => boolean; what: string },
  options: RenameOptions,
): Promise<RenameQuestion[]> {
  const decided: RenameQuestion[] = [];
  const taken = new Set<string>();
  const given = (options.renames ?? []).filter((r) => (scope.table === undefined ? r.table === undefined : r.table === scope.table));
  for (const r of given) {
    if (scope.removed.includes(r.from) && scope.added.includes(r.to)) {
      decided.push({ ...(scope.table ? { table: scope.table } : {}), from: r.from, to: r.to });
      taken.add(r.from).add(r.to);
    }
  }
  const unresolved: RenameQuestion[] = [];
  for (const from of scope.removed) {
    for (const to of scope.added) {
      if (taken.has(from) || taken.has(to) || !scope.similar(from, to)) continue;
      const question = { ...(scope.table ? { table: scope.table } : {}), from, to };
      if (options.noRenames) continue;
      if (!options.ask) {
        unresolved.push(question);
        continue;
      }
      if (await options.ask(question)) {
        decided.push(question);
        taken.add(from).add(to);
      }
    }
  }
  if (unresolved.length > 0) {
    const list = unresolved.map((q) => `${scope.what} ${q.table ? `${q.table}.` : ''}${q.from} was removed and ${q.to} added`).join('; ');
    throw new SchemaError(
      `Cannot tell a rename from a drop + add: ${list}. Pass --rename ${unresolved.map(renameFlag).join(' --rename ')} for a rename, ` +
        `or --no-rename-detection for a drop + add (data in the old ${scope.what} is lost), or run make on a terminal to be asked.`,
    );
  }
  return decided;
}

/** Checks that every `--rename` was used; an unused one names what exists instead. */
export function checkRenamesUsed(renames: readonly RenameAnswer[], used: readonly RenameQuestion[]): void {
  const unused = renames.filter((r) => !used.some((u) => u.from === r.from && u.to === r.to && (u.table ?? '') === (r.table ?? '')));
  if (unused.length > 0) {
    throw new SchemaError(
      `--rename ${unused.map(renameFlag).join(', ')}: nothing matches; a rename needs the old ${unused[0]!.table ? 'column' : 'table'} gone from the models and the new one added. ` +
        `For a column, name the table as the models call it (table.old:new).`,
    );
  }
}
