import { MissingHintError } from './errors';
import type { DatabaseRouter, ModelMeta, RoutingHints } from './router';

/** Options of {@link HintRouter}. */
export interface HintRouterOptions {
  /** Only route models of these apps (default: every model). */
  readonly apps?: readonly string[];
  /** The hint that names the database (default: `database`, as in the seed). */
  readonly hint?: string;
  /**
   * Refuse to route these apps' models without the hint (throws MissingHintError), instead of
   * having no opinion — so solution data can never fall through to `default`. Default: false.
   */
  readonly required?: boolean;
}

/**
 * Routes to the database named by a hint — the seed's `if 'database' in hints: return hints['database']`.
 * Without the hint it has no opinion.
 *
 * @example
 * ```ts
 * new HintRouter({ apps: ['solution_prefs'] })   // withSolution('acme_corp', …) → djo_acme_corp_db
 * ```
 */
export class HintRouter implements DatabaseRouter {
  readonly #apps: ReadonlySet<string> | undefined;
  readonly #hint: string;
  readonly #required: boolean;

  constructor(options: HintRouterOptions = {}) {
    this.#apps = options.apps ? new Set(options.apps) : undefined;
    this.#hint = options.hint ?? 'database';
    this.#required = options.required ?? false;
  }

  dbForRead(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#pick(model, hints);
  }

  dbForWrite(model: ModelMeta, hints: RoutingHints): string | null {
    return this.#pick(model, hints);
  }

  /** Models of apps it does not route never depend on the hint. */
  hintFree(model: ModelMeta): boolean {
    return this.#apps !== undefined && !this.#apps.has(model.appLabel);
  }

  #pick(model: ModelMeta, hints: RoutingHints): string | null {
    if (this.#apps && !this.#apps.has(model.appLabel)) return null;
    const value = hints[this.#hint];
    if (typeof value === 'string') return value;
    if (this.#required) {
      throw new MissingHintError(
        `${model.label} is routed by the '${this.#hint}' hint, but the current scope has none. Wrap the call in ` +
          `project.withSolution(name, fn) or project.withHints({ ${this.#hint}: '…' }, fn), or pin it with .using(alias).`,
      );
    }
    return null;
  }
}
