import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** Options of {@link scramSha256Verifier} (tests pin the salt; the defaults are PostgreSQL's). */
export interface ScramOptions {
  /** 16 random bytes by default. */
  readonly salt?: Buffer;
  /** PBKDF2 rounds; PostgreSQL's default `scram_iterations` is 4096. */
  readonly iterations?: number;
}

// RFC 3454 table C.1.2 (non-ASCII spaces, mapped to a space) and B.1 (mapped to nothing).
const NON_ASCII_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
// eslint-disable-next-line no-misleading-character-class
const MAPPED_TO_NOTHING = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;

/**
 * The password as SCRAM hashes it: ASCII unchanged (as PostgreSQL does), otherwise the SASLprep
 * mappings and NFKC — the same steps `pg` applies on the client side, so the role logs in with it.
 */
function prepare(password: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(password)) return password;
  return password.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '').normalize('NFKC');
}

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/**
 * A PostgreSQL SCRAM-SHA-256 password verifier (`SCRAM-SHA-256$4096:salt$StoredKey:ServerKey`),
 * what `pg_authid.rolpassword` holds. Sent instead of the password in `CREATE/ALTER ROLE … PASSWORD`,
 * the statement (and so the server log under `log_statement = ddl`) never contains the password,
 * and the verifier cannot be used to log in.
 *
 * @example
 * ```ts
 * await client.query(`ALTER ROLE app PASSWORD ${escapeLiteral(scramSha256Verifier(secret))}`);
 * ```
 */
export function scramSha256Verifier(password: string, options: ScramOptions = {}): string {
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? 4096;
  const salted = pbkdf2Sync(Buffer.from(prepare(password), 'utf8'), salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
