import { ConfigurationError } from './errors';

/**
 * A PostgreSQL WAL position (`pg_lsn`, printed `16/B374D848`) as a number of bytes, so that the
 * per-read check is a plain number comparison. Exact up to 2^53 bytes (8 PiB) of WAL.
 */
export type WalPosition = number;

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `16/B374D848`; throws a ConfigurationError naming the value otherwise. */
export function parseWalPosition(text: string): WalPosition {
  const match = typeof text === 'string' ? LSN.exec(text) : null;
  if (!match) throw new ConfigurationError(`${JSON.stringify(text)} is not a WAL position (pg_lsn), e.g. '0/3000148'.`);
  return parseInt(match[1]!, 16) * 2 ** 32 + parseInt(match[2]!, 16);
}

/** Prints a position the way PostgreSQL does (`16/B374D848`). */
export function formatWalPosition(position: WalPosition): string {
  const high = Math.floor(position / 2 ** 32);
  const low = position - high * 2 ** 32;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}
