import type { ConnectionManager } from './connection-manager';
import { ConfigurationError } from './errors';
import { Replication, type ReplicaStatus } from './replication';
import type { RoutingHints } from './router';
import { RoutingScope } from './routing-scope';

/**
 * The ambient part of a {@link Project}: hints, read-your-writes contexts, primary pins and
 * causality tokens, all kept per async context in one AsyncLocalStorage.
 */
export abstract class ProjectContext {
  /** The database aliases and their connections. */
  abstract readonly connections: ConnectionManager;
  protected readonly scope = new RoutingScope();
  protected readonly replication = new Replication({
    scope: this.scope,
    topology: (alias) => this.connections.topology(alias),
    live: (alias) => this.connections.get(alias),
  });

  /** The hints every routing decision sees right now. */
  hints(): RoutingHints {
    return this.scope.hints();
  }

  /** Runs `fn` with `hints` merged into the ambient hints of every routing decision inside it. */
  withHints<T>(hints: RoutingHints, fn: () => T): T {
    if (!hints || typeof hints !== 'object') throw new ConfigurationError(`withHints() needs a hints object, got ${String(hints)}.`);
    return this.scope.withHints(hints, fn);
  }

  /**
   * Runs `fn` as one read-your-writes context (an HTTP request, a job): after a write there, its
   * reads of that database stay on the primary until a replica has replayed the write. Code
   * outside every `withContext` shares one project-wide context.
   *
   * @example
   * ```ts
   * app.use((req, res, next) => project.withContext(next));
   * ```
   */
  withContext<T>(fn: () => T): T {
    return this.scope.withSession(fn);
  }

  /**
   * Runs `fn` with every read on the primaries (re-entrant: an inner pin ending keeps the outer one).
   *
   * @example
   * ```ts
   * const balance = await project.pinPrimary(() => project.model(Account).findByPk(id));
   * ```
   */
  pinPrimary<T>(fn: () => T): T {
    return this.scope.withPin(fn);
  }

  /**
   * The causality token of the current context: the WAL positions of its writes. Give it to another
   * context or process, which passes it to {@link withCausality} to read those writes too.
   *
   * @example
   * ```ts
   * await project.model(Order).create(order);
   * res.set('x-causality', project.causalityToken()); // 'v1;default=0/3000148'
   * ```
   */
  causalityToken(): string {
    return this.replication.session().token();
  }

  /**
   * Runs `fn` in the current context after adopting the writes named by `token` (from
   * {@link causalityToken}, maybe of another process): its reads see them. A malformed token is
   * refused before `fn` runs.
   *
   * @example
   * ```ts
   * await project.withCausality(req.get('x-causality') ?? 'v1', () => Orders.findAll());
   * ```
   */
  withCausality<T>(token: string, fn: () => T): T {
    this.replication.session().merge(token);
    return fn();
  }

  /**
   * Checks every replica now and reports its health and lag (`[]` without replicas).
   *
   * @example
   * ```ts
   * for (const r of await project.replicaStatus()) console.log(r.alias, r.health, r.lagMs);
   * ```
   */
  replicaStatus(): Promise<ReplicaStatus[]> {
    return this.replication.status(this.connections.aliases());
  }
}
