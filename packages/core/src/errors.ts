// FbsError extends BrandedError: `instanceof` holds across two copies of @fbs/core (error-brand.ts).
import { BrandedError } from './error-brand';
import { connectionFailureKind, connectionHint, type ConnectionFailureKind } from './connection-failure';

export { connectionFailureKind, connectionHint, isConnectionFailure } from './connection-failure';
export type { ConnectionFailureKind } from './connection-failure';

/**
 * Base class of every error the SDK raises. `code` is stable and meant for programs;
 * `message` is for people and always says what to change.
 *
 * @example
 * ```ts
 * try { await project.model(Invoice).findAll() }
 * catch (e) { if (e instanceof FbsError && e.code === 'FBS_UNKNOWN_DATABASE') … }
 * ```
 */
export class FbsError extends BrandedError {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Invalid configuration: a bad database config, environment variable, router or option. */
export class ConfigurationError extends FbsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FBS_CONFIGURATION', message, options);
  }
}

/** A database alias that is not configured was asked for (by a router, `using()` or a call). */
export class UnknownDatabaseError extends FbsError {
  readonly alias: string;
  readonly known: readonly string[];
  constructor(alias: string, known: readonly string[], where?: string) {
    const suggestion = closest(alias, known);
    super(
      'FBS_UNKNOWN_DATABASE',
      `Unknown database alias '${alias}'${where ? ` (${where})` : ''}. ` +
        `Configured aliases: ${known.length ? known.map((k) => `'${k}'`).join(', ') : '(none)'}.` +
        (suggestion ? ` Did you mean '${suggestion}'?` : '') +
        ` Add it under \`databases\` or with project.addDatabase('${alias}', config).`,
    );
    this.alias = alias;
    this.known = known;
  }
}

/** App registration problems: a bad label, a duplicate label, a model in two apps, an unregistered model. */
export class AppRegistryError extends FbsError {
  constructor(message: string) {
    super('FBS_APP_REGISTRY', message);
  }
}

/** A router needs a hint (e.g. `database`) that the current scope does not carry. */
export class MissingHintError extends FbsError {
  constructor(message: string) {
    super('FBS_MISSING_HINT', message);
  }
}

/** A query or association would mix models bound to two different databases. */
export class CrossDatabaseError extends FbsError {
  readonly databases: readonly [string, string];
  constructor(message: string, databases: [string, string]) {
    super('FBS_CROSS_DATABASE', message);
    this.databases = databases;
  }
}

/** The routers' `allowRelation` refused a relation between two objects. */
export class RelationNotAllowedError extends FbsError {
  constructor(message: string) {
    super('FBS_RELATION_NOT_ALLOWED', message);
  }
}

/**
 * A database could not be used: unreachable, login refused, missing, shut down, session cut, pool
 * exhausted. Names the alias and a redacted address, never the password; the hint depends on the
 * cause (`kind`), e.g. "check the user name and password" for SQLSTATE 28P01.
 */
export class DatabaseUnavailableError extends FbsError {
  readonly alias: string;
  /** The cause, classified (see {@link ConnectionFailureKind}). */
  readonly kind: ConnectionFailureKind;
  /** What to do about it (also the last sentence of `message`). */
  readonly hint: string;
  constructor(alias: string, address: string, cause: unknown) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
    const hint = connectionHint(cause);
    super('FBS_DATABASE_UNAVAILABLE', `Database '${alias}' (${address}) is unavailable: ${reason}. ${hint}`, { cause });
    this.alias = alias;
    this.kind = connectionFailureKind(cause) ?? 'other';
    this.hint = hint;
  }
}

/** Levenshtein-closest candidate, if it is close enough to be a likely typo. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** A model was asked for on a database its app may not live on (`allowMigrate` is false there). */
export class ModelNotOnDatabaseError extends FbsError {
  readonly alias: string;
  readonly model: string;
  constructor(alias: string, model: string, appLabel: string) {
    super(
      'FBS_MODEL_NOT_ON_DATABASE',
      `Model ${model} is not registered on database '${alias}': allowMigrate('${alias}', '${appLabel}') is false, so its tables ` +
        `are never created there. Route ${model} to a database its app may migrate to, or let allowMigrate allow '${appLabel}' on '${alias}'.`,
    );
    this.alias = alias;
    this.model = model;
  }
}

/** `project.check()` found problems (Django's `SystemCheckError`); `problems` lists them. */
export class SystemCheckError extends FbsError {
  readonly problems: readonly { readonly code: string; readonly message: string; readonly hint: string }[];
  constructor(problems: readonly { readonly code: string; readonly message: string; readonly hint: string }[]) {
    super('FBS_SYSTEM_CHECK', `System check found ${problems.length} problem(s):\n` + problems.map((p) => `  ${p.code} ${p.message}\n    HINT: ${p.hint}`).join('\n'));
    this.problems = problems;
  }
}
