import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import express from 'express';
import { SolutionManager } from '@fbs/solutions';
import { fromPathParam } from '@fbs/http';
import { solutionMiddleware } from '@fbs/http/express';
import { ONE_KIND, oneKindProject, Preference, uniqueSolution } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { queryDatabase, testServer, uniqueDatabaseName } from '../harness/postgres';
import { call, listen, managerWith, prefsIn, expectLoadStaysInSolutions, sleep } from './fixtures/solutions';

describe('http: Express middleware over real HTTP', function () {
  this.timeout(300_000);
  let manager: SolutionManager;
  let names: string[];
  let system: string;
  let server: Server;
  let base: string;
  let reached = 0;
  const suspended = new Set<string>();

  before(async () => {
    ({ manager, names, system } = await managerWith(20, 'hx'));
    const { project } = manager;
    const app = express();
    app.use(express.json());
    app.get('/health', (_req, res) => void res.json({ solution: project.hints().solution ?? null }));
    const tenantRoutes = express.Router();
    tenantRoutes.get('/whoami', (_req, res) => void res.json({ solution: project.hints().solution }));
    app.use('/t/:solution', solutionMiddleware({ manager, resolve: fromPathParam('solution') }), tenantRoutes);
    app.use('/custom', solutionMiddleware({ manager, statuses: { solution_unknown: 410 }, respond: (r) => ({ status: r.status, body: { problem: r.code, tenant: r.solution } }) }), (_req, res) => void res.json({ ok: true }));
    app.use(solutionMiddleware({ manager, suspended: (name) => suspended.has(name) }));
    app.post('/prefs', async (req, res) => {
      reached++;
      const solution = project.hints().solution;
      await sleep(Number(req.body.delay ?? 0));
      const row = await project.model(Preference).create({ key: String(req.body.key), value: String(req.body.value) });
      res.json({ solution, after: project.hints().solution, local: res.locals.solution, id: row.id });
    });
    app.get('/stream', (_req, res) => {
      reached++;
      res.type('text/plain');
      Readable.from((async function* () {
        for (let i = 0; i < 3; i++) {
          await sleep(5);
          const solution = project.hints().solution ?? 'none';
          await project.model(Preference).create({ key: 'stream', value: solution });
          yield `${solution}\n`;
        }
      })()).pipe(res);
    });
    app.post('/later', (_req, res) => {
      reached++;
      res.status(202).json({ accepted: true });
      setTimeout(() => void project.model(Preference).create({ key: 'later', value: project.hints().solution ?? 'none' }), 30);
    });
    server = app.listen(0, '127.0.0.1');
    base = await listen(server);
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await dropAll(manager);
  });

  it('runs the handler in the solution named by the header, and the row lands in its database', async () => {
    const [name] = names;
    const { status, body } = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'k', value: 'one', delay: 5 }) });
    expect(status).to.equal(200);
    expect(body).to.include({ solution: name, after: name, local: name });
    expect(await prefsIn(name!)).to.deep.equal({ one: 1 });
  });

  it('reads the solution from a path parameter', async () => {
    const { status, body } = await call(`${base}/t/${names[1]}/whoami`);
    expect([status, body]).to.deep.equal([200, { solution: names[1] }]);
    expect((await call(`${base}/t/nope_${process.pid}/whoami`)).status).to.equal(404);
  });

  it('serves a system route (before the middleware) without a solution', async () => {
    expect(await call(`${base}/health`, { solution: names[0] })).to.deep.equal({ status: 200, body: { solution: null } });
  });

  it('keeps streamed responses and work started after the response in the solution', async () => {
    const name = names[2]!;
    const { status, body } = await call(`${base}/stream`, { solution: name });
    expect([status, body]).to.deep.equal([200, `${name}\n${name}\n${name}\n`]);
    expect((await call(`${base}/later`, { method: 'POST', solution: name })).status).to.equal(202);
    const later = () => queryDatabase(`djo_${name}_db`, "SELECT 1 FROM prefs_preference WHERE key = 'later'");
    for (let i = 0; i < 100 && (await later()).length === 0; i++) await sleep(20);
    const rows = await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference ORDER BY id');
    expect(rows).to.deep.equal([...Array(3).fill({ key: 'stream', value: name }), { key: 'later', value: name }]);
  });

  describe('fails closed: the handler is never reached', () => {
    let creating: string;
    before(async () => {
      creating = uniqueSolution('hxc');
      await queryDatabase(system, `INSERT INTO fbs_solutions (name, state, databases) VALUES ($1, 'creating', '{}')`, [creating]);
    });
    after(() => queryDatabase(system, 'DELETE FROM fbs_solutions WHERE name = $1', [creating]));

    const cases: Array<[string, () => string | undefined, number, string]> = [
      ['missing', () => undefined, 400, 'solution_missing'],
      ['malformed', () => 'Bad Name!', 400, 'solution_invalid'],
      ['reserved', () => 'template', 400, 'solution_invalid'],
      ['unknown', () => `nobody_${process.pid}`, 404, 'solution_unknown'],
      ['unfinished (creating)', () => creating, 404, 'solution_unavailable'],
    ];
    for (const [what, solution, status, code] of cases) {
      it(`${what} → ${status} ${code}`, async () => {
        const before = reached;
        const name = solution();
        const response = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'x', value: 'x' }) });
        expect(response.status).to.equal(status);
        expect(response.body.error.code).to.equal(code);
        expect(response.body.error.solution).to.equal(name);
        expect(response.body.error.message).to.be.a('string').and.not.equal('');
        if (name) expect(response.body.error.message).to.contain(name);
        expect(reached).to.equal(before);
      });
    }

    it('suspended → 404 solution_suspended, and served again once resumed', async () => {
      const name = names[3]!;
      suspended.add(name);
      const before = reached;
      const response = await call(`${base}/stream`, { solution: name });
      expect(response).to.deep.equal({ status: 404, body: { error: { code: 'solution_suspended', message: `Solution '${name}' is suspended.`, solution: name } } });
      expect(reached).to.equal(before);
      suspended.delete(name);
      expect((await call(`${base}/stream`, { solution: name })).status).to.equal(200);
    });

    it('dropped → 404 solution_dropped at once (the cache follows the drop event); created → served at once', async () => {
      const name = uniqueSolution('hxd');
      expect((await call(`${base}/stream`, { solution: name })).body.error.code).to.equal('solution_unknown');
      await manager.create(name);
      expect((await call(`${base}/stream`, { solution: name })).status).to.equal(200);
      await manager.drop(name, { confirm: name });
      const before = reached;
      const response = await call(`${base}/stream`, { solution: name });
      expect([response.status, response.body.error.code]).to.deep.equal([404, 'solution_dropped']);
      expect(reached).to.equal(before);
    });

    it('statuses and the body are configurable', async () => {
      const name = `nobody_${process.pid}`;
      expect(await call(`${base}/custom`, { solution: name })).to.deep.equal({ status: 410, body: { problem: 'solution_unknown', tenant: name } });
      expect((await call(`${base}/custom`, { solution: names[0] })).body).to.deep.equal({ ok: true });
    });

    it('an unreadable catalogue → 503 solution_lookup_failed, never the handler', async () => {
      const broken = new SolutionManager(oneKindProject((await testServer()).url(uniqueDatabaseName('hxnone'))), { databases: ONE_KIND });
      const app = express();
      let hit = false;
      app.use(solutionMiddleware({ manager: broken }), (_req, res) => void res.json({ hit: (hit = true) }));
      const other = app.listen(0, '127.0.0.1');
      try {
        const response = await call(`${await listen(other)}/`, { solution: 'acme' });
        expect([response.status, response.body.error.code, hit]).to.deep.equal([503, 'solution_lookup_failed', false]);
      } finally {
        other.close();
        await broken.close();
        await broken.project.close();
      }
    });
  });

  it('5,000 requests interleaved across 20 solutions at concurrency 50: every row in its own solution database', async () => {
    await expectLoadStaysInSolutions(base, names, system, 200);
  });
});
