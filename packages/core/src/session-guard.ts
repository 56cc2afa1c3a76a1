import { isConnectionFailure } from './connection-failure';
import { invalidateConnection } from './sequelize-internals';

const GUARDED = Symbol('fbs.sessionGuard');

type Callback = (error: unknown, result?: unknown) => void;

/**
 * A Sequelize `afterConnect` hook for node-postgres clients: a query that fails because the session
 * ended (`terminating connection due to administrator command`, a cut socket, …) marks the client
 * invalid at once, so the pool drops it instead of handing it to the next query. Without it the client
 * goes back to the pool before its socket reports the end, and the next query fails on it too.
 */
export function guardSession(connection: unknown): void {
  const client = connection as { query?: (...args: unknown[]) => unknown; [GUARDED]?: true } | null;
  if (!client || typeof client.query !== 'function' || client[GUARDED]) return;
  client[GUARDED] = true;
  const query = client.query.bind(client);
  const mark = (error: unknown) => {
    if (isConnectionFailure(error)) invalidateConnection(client);
  };
  client.query = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = ((error, result) => {
        if (error) mark(error);
        (last as Callback)(error, result);
      }) satisfies Callback;
      return query(...args);
    }
    const result = query(...args);
    if (result && typeof (result as Promise<unknown>).catch === 'function') {
      (result as Promise<unknown>).catch(mark);
    }
    return result;
  };
}
