import { Readable } from 'node:stream';
import { expect } from 'chai';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SolutionManager } from '@fbs/solutions';
import { fromPathParam } from '@fbs/http';
import { fastifySolutions } from '@fbs/http/fastify';
import { Preference, uniqueSolution } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { queryDatabase } from '../harness/postgres';
import { call, managerWith, expectLoadStaysInSolutions, sleep } from './fixtures/solutions';

describe('http: Fastify plugin over real HTTP', function () {
  this.timeout(300_000);
  let manager: SolutionManager;
  let names: string[];
  let system: string;
  let app: FastifyInstance;
  let base: string;
  let reached = 0;
  const suspended = new Set<string>();

  before(async () => {
    ({ manager, names, system } = await managerWith(20, 'hf'));
    const { project } = manager;
    app = Fastify();
    app.get('/health', async () => ({ solution: project.hints().solution ?? null }));
    app.register(async (scoped) => {
      scoped.register(fastifySolutions({ manager, suspended: (name) => suspended.has(name) }));
      scoped.get('/status', { config: { fbsSystem: true } }, async () => ({ solution: project.hints().solution ?? null }));
      scoped.post('/prefs', async (request) => {
        reached++;
        const body = request.body as { key: string; value: string; delay?: number };
        const solution = project.hints().solution;
        await sleep(body.delay ?? 0);
        await project.model(Preference).create({ key: body.key, value: body.value });
        return { solution, after: project.hints().solution, request: request.solution };
      });
      scoped.get('/stream', async (_request, reply) => {
        reached++;
        reply.type('text/plain');
        return reply.send(Readable.from((async function* () {
          for (let i = 0; i < 3; i++) {
            await sleep(5);
            const solution = project.hints().solution ?? 'none';
            await project.model(Preference).create({ key: 'stream', value: solution });
            yield `${solution}\n`;
          }
        })()));
      });
    });
    app.register(async (scoped) => {
      scoped.register(fastifySolutions({ manager, resolve: fromPathParam('solution') }));
      scoped.get('/t/:solution/whoami', async () => ({ solution: project.hints().solution }));
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app?.close();
    await dropAll(manager);
  });

  it('runs the handler (after body parsing) in the solution named by the header', async () => {
    const name = names[0]!;
    const { status, body } = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'k', value: 'one', delay: 5 }) });
    expect([status, body]).to.deep.equal([200, { solution: name, after: name, request: name }]);
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference')).to.deep.equal([{ key: 'k', value: 'one' }]);
  });

  it('reads the solution from a route parameter', async () => {
    expect(await call(`${base}/t/${names[1]}/whoami`)).to.deep.equal({ status: 200, body: { solution: names[1] } });
    expect((await call(`${base}/t/nope_${process.pid}/whoami`)).body.error.code).to.equal('solution_unknown');
  });

  it('serves routes marked fbsSystem, and routes outside the plugin, without a solution', async () => {
    expect(await call(`${base}/status`)).to.deep.equal({ status: 200, body: { solution: null } });
    expect(await call(`${base}/health`, { solution: names[0] })).to.deep.equal({ status: 200, body: { solution: null } });
  });

  it('keeps a streamed response in the solution', async () => {
    const name = names[2]!;
    expect(await call(`${base}/stream`, { solution: name })).to.deep.equal({ status: 200, body: `${name}\n${name}\n${name}\n` });
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT value, count(*)::int AS n FROM prefs_preference GROUP BY value')).to.deep.equal([{ value: name, n: 3 }]);
  });

  describe('fails closed: the handler is never reached', () => {
    const cases: Array<[string, () => string | undefined, number, string]> = [
      ['missing', () => undefined, 400, 'solution_missing'],
      ['malformed', () => 'Bad Name!', 400, 'solution_invalid'],
      ['reserved', () => 'template', 400, 'solution_invalid'],
      ['unknown', () => `nobody_${process.pid}`, 404, 'solution_unknown'],
      ['suspended', () => names[3], 404, 'solution_suspended'],
    ];
    before(() => suspended.add(names[3]!));
    after(() => suspended.clear());
    for (const [what, solution, status, code] of cases) {
      it(`${what} → ${status} ${code}`, async () => {
        const before = reached;
        const name = solution();
        const response = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'x', value: 'x' }) });
        expect(response.status).to.equal(status);
        expect(response.body.error).to.include(name === undefined ? { code } : { code, solution: name });
        if (name) expect(response.body.error.message).to.contain(name);
        expect(reached).to.equal(before);
      });
    }

    it('dropped → 404 solution_dropped', async () => {
      const name = uniqueSolution('hfd');
      await manager.create(name);
      expect((await call(`${base}/stream`, { solution: name })).status).to.equal(200);
      await manager.drop(name, { confirm: name });
      const before = reached;
      const response = await call(`${base}/stream`, { solution: name });
      expect([response.status, response.body.error.code, reached]).to.deep.equal([404, 'solution_dropped', before]);
    });
  });

  it('5,000 requests interleaved across 20 solutions at concurrency 50: every row in its own solution database', async () => {
    await expectLoadStaysInSolutions(base, names, system, 200);
  });
});
