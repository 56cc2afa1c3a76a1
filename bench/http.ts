/**
 * The cost of `@fbs/http/express` on a request, in one run against one PostgreSQL server:
 * - an Express app with two routes, `/bare/…` (no middleware) and `/mw/…` (the solution
 *   middleware, header resolver, catalogue answer cached), requests interleaved one at a time over
 *   real HTTP on 127.0.0.1. Each request is timed inside the server, from the first middleware to the
 *   handler's first line, so client and socket jitter cancel out; `middleware_p99_ms` is
 *   p99(/mw) − p99(/bare). Round trips seen by the client are printed for information.
 * - `misplaced_rows`: 2,000 inserting requests across 10 solutions at concurrency 50; rows not in
 *   their own solution's database (missing, or carrying another solution's name), plus any solution
 *   table in the system database.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SolutionManager } from '@fbs/solutions';
import { solutionMiddleware } from '@fbs/http/express';
import { ONE_KIND, oneKindProject, Preference, TEMPLATES, uniqueSolution } from '../test/solutions/fixtures/apps';
import { dropAll } from '../test/solutions/fixtures/cleanup';
import { createDatabases, queryDatabase, shutdown, testServer } from '../test/harness/postgres';
import { percentile, result, runBench } from './_stats';

const N = Number(process.env.BENCH_OPS ?? 4000);
const SOLUTIONS = 10;
const LOAD = 2000;

async function main(): Promise<void> {
  const [system] = await createDatabases(1, 'bhttp');
  const manager = new SolutionManager(oneKindProject((await testServer()).url(system!)), { databases: ONE_KIND, pool: { maxConnections: 30 }, templates: TEMPLATES });
  const server = { close: () => undefined } as { close(): void; closeAllConnections?(): void };
  try {
    const names = Array.from({ length: SOLUTIONS }, () => uniqueSolution('bh'));
    for (const name of names) await manager.create(name);
    const { project } = manager;
    const app = express();
    app.use(express.json());
    app.use((_req, res, next) => {
      res.locals.start = process.hrtime.bigint();
      next();
    });
    const timed = (_req: express.Request, res: express.Response) => {
      const elapsed = Number(process.hrtime.bigint() - (res.locals.start as bigint)) / 1e6;
      res.json({ elapsed, solution: project.hints().solution ?? null });
    };
    app.get('/bare/ping', timed);
    const mw = solutionMiddleware({ manager });
    app.get('/mw/ping', mw, timed);
    app.post('/mw/prefs', mw, async (req, res) => {
      await project.model(Preference).create({ key: String(req.body.key), value: String(req.body.value) });
      res.json({ solution: project.hints().solution });
    });
    const listening = app.listen(0, '127.0.0.1');
    Object.assign(server, { close: () => listening.close(), closeAllConnections: () => listening.closeAllConnections() });
    await new Promise((resolve) => listening.once('listening', resolve));
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;

    const ping = async (path: string, solution: string) => {
      const start = process.hrtime.bigint();
      const response = await fetch(`${base}${path}`, { headers: { 'x-solution': solution } });
      const body = (await response.json()) as { elapsed: number; solution: string | null };
      if (path.startsWith('/mw') && body.solution !== solution) throw new Error(`/mw answered for ${body.solution}, not ${solution}`);
      return { server: body.elapsed, client: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    for (let i = 0; i < 500; i++) await ping(i % 2 ? '/mw/ping' : '/bare/ping', names[i % SOLUTIONS]!);
    const samples = { bare: { server: [] as number[], client: [] as number[] }, mw: { server: [] as number[], client: [] as number[] } };
    for (let i = 0; i < N; i++) {
      for (const which of i % 2 === 0 ? (['bare', 'mw'] as const) : (['mw', 'bare'] as const)) {
        const t = await ping(`/${which}/ping`, names[i % SOLUTIONS]!);
        samples[which].server.push(t.server);
        samples[which].client.push(t.client);
      }
    }
    for (const which of ['bare', 'mw'] as const) {
      const s = samples[which];
      process.stdout.write(`${which}: server p50=${percentile(s.server, 50).toFixed(4)}ms p99=${percentile(s.server, 99).toFixed(4)}ms; round trip p50=${percentile(s.client, 50).toFixed(3)}ms p99=${percentile(s.client, 99).toFixed(3)}ms\n`);
    }
    const added = percentile(samples.mw.server, 99) - percentile(samples.bare.server, 99);

    const sent = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < LOAD) {
        const i = next++;
        const name = names[(i * 7) % SOLUTIONS]!;
        const response = await fetch(`${base}/mw/prefs`, { method: 'POST', headers: { 'x-solution': name, 'content-type': 'application/json' }, body: JSON.stringify({ key: `b${i}`, value: name }) });
        await response.arrayBuffer();
        if (response.status === 200) sent.set(name, (sent.get(name) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    let misplaced = LOAD - [...sent.values()].reduce((a, b) => a + b, 0);
    for (const name of names) {
      const [row] = await queryDatabase<{ own: number; other: number }>(`djo_${name}_db`, 'SELECT count(*) FILTER (WHERE value = $1)::int AS own, count(*) FILTER (WHERE value <> $1)::int AS other FROM prefs_preference', [name]);
      misplaced += Math.abs((sent.get(name) ?? 0) - row!.own) + row!.other;
    }
    misplaced += (await queryDatabase(system!, "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'fbs_solutions'")).length;

    result('http', 'middleware_p99_ms', added, '<=0.2', added <= 0.2, 4);
    result('http', 'misplaced_rows', misplaced, '0', misplaced === 0, 0);
  } finally {
    server.closeAllConnections?.();
    server.close();
    await dropAll(manager);
    await shutdown();
  }
}

runBench(main);
