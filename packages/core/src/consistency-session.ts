import { ConfigurationError } from './errors';
import { formatWalPosition, parseWalPosition, type WalPosition } from './wal-position';

/**
 * What a context wrote on one database: `lsn` is the primary's WAL position after its last write,
 * or `Infinity` while a write is in flight (`pending`) or its position could not be read
 * (`unknown`: the time-window fallback from `at`, ms since the epoch, applies).
 */
export interface WriteMark {
  lsn: WalPosition;
  at: number;
  pending: number;
  unknown: boolean;
  best: WalPosition;
}

/**
 * The read-your-writes state of one async context (an HTTP request, a job): the write mark of each
 * database it wrote to. Reads of that database go to a replica only once the replica has replayed
 * the mark. Shared by every nested scope of the context (a mutable cell), so a write in a
 * transaction or a nested scope pins the rest of the context.
 */
export class ConsistencySession {
  readonly marks = new Map<string, WriteMark>();

  /** Records the start of a write on `alias`: until it settles, reads there go to the primary. */
  begin(alias: string, now = Date.now()): WriteMark {
    let mark = this.marks.get(alias);
    if (mark === undefined) this.marks.set(alias, (mark = { lsn: Infinity, at: now, pending: 0, unknown: false, best: 0 }));
    if (mark.pending === 0) mark.unknown = false; // every earlier write has ended: this one's position covers them
    mark.pending++;
    mark.lsn = Infinity;
    mark.at = now;
    return mark;
  }

  /** Ends a write begun with {@link begin}: `lsn` is the primary's position after it (undefined: unknown). */
  settle(mark: WriteMark, lsn: WalPosition | undefined): void {
    mark.pending--;
    if (lsn === undefined) mark.unknown = true;
    else if (lsn > mark.best) mark.best = lsn;
    if (mark.pending === 0 && !mark.unknown) mark.lsn = mark.best;
  }

  /** Adopts the marks of `token` (what another context or process wrote). */
  merge(token: string): void {
    for (const [alias, incoming] of parseCausalityToken(token)) {
      const own = this.marks.get(alias);
      if (own === undefined) this.marks.set(alias, incoming);
      else {
        own.at = Math.max(own.at, incoming.at);
        if (incoming.unknown) own.unknown = true;
        else if (incoming.best > own.best) own.best = incoming.best;
        own.lsn = own.pending > 0 || own.unknown ? Infinity : own.best;
      }
    }
  }

  /** The causality token of this context: `v1;default=0/3000148;licensing=0/1A2B` (`t<ms>` for an unknown position). */
  token(): string {
    const parts = [...this.marks].map(([alias, m]) => `${encodeURIComponent(alias)}=${m.lsn === Infinity ? `t${m.at}` : formatWalPosition(m.lsn)}`);
    return ['v1', ...parts].join(';');
  }
}

/** Parses a causality token; a malformed one is refused with the value and the expected form. */
export function parseCausalityToken(token: string): Map<string, WriteMark> {
  const fail = (why: string) =>
    new ConfigurationError(`Causality token ${JSON.stringify(token)} is not valid (${why}). Pass the string project.causalityToken() returned, e.g. 'v1;default=0/3000148'.`);
  if (typeof token !== 'string') throw fail(`a ${typeof token}, not a string`);
  const [version, ...parts] = token.split(';');
  if (version !== 'v1') throw fail("it does not start with 'v1'");
  const marks = new Map<string, WriteMark>();
  for (const part of parts) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) throw fail(`'${part}' is not alias=position`);
    const alias = decodeURIComponent(part.slice(0, eq));
    const value = part.slice(eq + 1);
    if (/^t\d+$/.test(value)) marks.set(alias, { lsn: Infinity, at: Number(value.slice(1)), pending: 0, unknown: true, best: 0 });
    else {
      try {
        marks.set(alias, { lsn: parseWalPosition(value), at: 0, pending: 0, unknown: false, best: parseWalPosition(value) });
      } catch {
        throw fail(`'${value}' is not a WAL position`);
      }
    }
  }
  return marks;
}
