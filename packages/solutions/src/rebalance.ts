import type { ServerInfo } from './server-loads';
import type { SolutionInfo } from './solution-info';

/** One proposed move. */
export interface ProposedMove {
  readonly solution: string;
  readonly from: string;
  readonly to: string;
}

/** What `rebalance()` proposes (nothing is moved). */
export interface RebalancePlan {
  readonly moves: readonly ProposedMove[];
  /** Server → solutions now, and after the moves. */
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  /** Solutions left out: split over several servers, or not ready (name → why). */
  readonly skipped: Readonly<Record<string, string>>;
}

/**
 * Proposes the fewest single-server moves that empty the draining servers and leave the open ones
 * within one solution of each other (weights are not used: the goal is even counts). Solutions
 * whose databases are split over servers, or that are not ready or mid-move, are not moved.
 */
export function proposeRebalance(servers: readonly ServerInfo[], records: readonly SolutionInfo[]): RebalancePlan {
  const open = servers.filter((s) => !s.draining).map((s) => s.name);
  const skipped: Record<string, string> = {};
  const on = new Map<string, string[]>(servers.map((s) => [s.name, []]));
  for (const record of records) {
    const distinct = [...new Set(Object.values(record.servers))];
    if (record.state !== 'ready') skipped[record.name] = `state '${record.state}'`;
    else if (record.move) skipped[record.name] = 'a move is under way';
    else if (distinct.length !== 1) skipped[record.name] = `split over ${distinct.join(', ')}`;
    else if (!on.has(distinct[0]!)) skipped[record.name] = `on '${distinct[0]}', not a configured server`;
    else on.get(distinct[0]!)!.push(record.name);
  }
  for (const list of on.values()) list.sort();
  const count = (name: string) => on.get(name)!.length;
  const before = Object.fromEntries(servers.map((s) => [s.name, count(s.name)]));
  const moves: ProposedMove[] = [];
  if (open.length === 0) return { moves, before, after: before, skipped };
  const least = () => open.reduce((a, b) => (count(b) < count(a) ? b : a));
  const most = () => open.reduce((a, b) => (count(b) > count(a) ? b : a));
  const shift = (from: string, to: string) => {
    const solution = on.get(from)!.pop()!;
    on.get(to)!.push(solution);
    moves.push({ solution, from, to });
  };
  for (const server of servers) if (server.draining) while (count(server.name) > 0) shift(server.name, least());
  while (count(most()) - count(least()) > 1) shift(most(), least());
  const after = Object.fromEntries(servers.map((s) => [s.name, count(s.name)]));
  return { moves, before, after, skipped };
}
