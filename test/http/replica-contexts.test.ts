import type { Server } from 'node:http';
import { expect } from 'chai';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { QueryTypes } from 'sequelize';
import { ConfigurationError, createProject, defineApp, type Project } from '@fbs/core';
import { SolutionManager, SolutionRouter } from '@fbs/solutions';
import { causalityHeaders } from '@fbs/http';
import { solutionMiddleware } from '@fbs/http/express';
import { fastifySolutions } from '@fbs/http/fastify';
import { JOB_CAUSALITY_KEY, jobSolutions } from '@fbs/http/jobs';
import { ONE_KIND, Preference, prefsMigrations, uniqueSolution } from '../solutions/fixtures/apps';
import { Note, notesApp, setupReplicas, waitForStatus, type ReplicaSetup } from '../replicas/fixtures';
import { listen } from './fixtures/solutions';

/** A request body sent in two chunks 50 ms apart: the server parses it on later socket events. */
function slowBody(body: object): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(bytes.slice(0, 3));
      await new Promise((r) => setTimeout(r, 50));
      controller.enqueue(bytes.slice(3));
      controller.close();
    },
  });
}

/** One HTTP exchange: status, JSON body and the causality header of the response. */
async function send(url: string, headers: Record<string, string> = {}, body?: object, slow = false): Promise<{ status: number; body: any; token: string | null }> {
  const init: RequestInit & { duplex?: 'half' } = body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: slow ? slowBody(body) : JSON.stringify(body) };
  if (slow) init.duplex = 'half';
  const response = await fetch(url, init);
  const token = response.headers.get('x-fbs-causality') ?? response.headers.get('x-causal');
  return { status: response.status, body: await response.json(), token };
}

describe('http: every request and job is its own read-your-writes context (real streaming replica)', function () {
  this.timeout(120_000);
  let setup: ReplicaSetup;
  let project: Project;
  let manager: SolutionManager;
  let solution: string;
  let server: Server;
  let fastify: FastifyInstance;
  let expressBase: string;
  let fastifyBase: string;
  let reached = 0;

  const up = (s: { health: string }[]) => s.length === 2 && s.every((r) => r.health === 'up');
  /** Where a routed read of `default` runs (the connection's application_name), and what it counts. */
  const observe = async (ctx: string) => {
    const [{ app }] = (await project.connection('default').query("SELECT current_setting('application_name') AS app", { type: QueryTypes.SELECT })) as [{ app: string }];
    return { count: await project.model(Note).count({ where: { ctx } }), app, solution: project.hints().solution ?? null };
  };
  const write = async (ctx: string) => {
    reached++;
    await project.model(Note).create({ ctx });
    return observe(ctx);
  };
  const onPrimary = async (ctx: string) => Number((await setup.primaryRows('SELECT count(*)::int AS n FROM notes_note WHERE ctx = $1', [ctx]))[0].n);

  /** Pauses replay on both replicas, runs fn, resumes and waits until they caught up and are seen up. */
  async function paused(fn: () => Promise<void>): Promise<void> {
    await setup.paused(fn);
    await waitForStatus(project, up);
  }

  before(async function () {
    this.timeout(180_000);
    setup = await setupReplicas('hctx');
    project = createProject({
      databases: setup.config({ maxLagMs: 120_000 }),
      routers: [new SolutionRouter({ apps: { prefs: 'djo' }, databases: ONE_KIND })],
      apps: [notesApp, defineApp({ label: 'prefs', models: [Preference], migrations: prefsMigrations })],
    });
    manager = new SolutionManager(project, { databases: ONE_KIND });
    solution = uniqueSolution('hctx');
    await manager.create(solution);
    await setup.catchUp();
    await waitForStatus(project, up);

    // Express: tokens read from x-fbs-causality and sent on responses automatically.
    const app = express();
    app.use(express.json());
    app.use(solutionMiddleware({ manager, system: (r) => r.url.startsWith('/sys/'), causality: { send: true } }));
    for (const prefix of ['/sys', '/app']) {
      app.post(`${prefix}/write`, async (req, res) => void res.json(await write(String(req.body.ctx))));
      app.get(`${prefix}/read`, async (req, res) => void res.json(await observe(String(req.query.ctx))));
    }
    server = app.listen(0, '127.0.0.1');
    expressBase = await listen(server);

    // Fastify: a configured header, the token set by the handler with causalityHeaders().
    fastify = Fastify();
    fastify.register(fastifySolutions({ manager, causality: { header: 'x-causal' } }));
    for (const [prefix, config] of [['/sys', { fbsSystem: true }], ['/app', {}]] as const) {
      fastify.post(`${prefix}/write`, { config }, async (request, reply) => {
        const seen = await write(String((request.body as { ctx: string }).ctx));
        reply.headers(causalityHeaders(project, 'x-causal'));
        return seen;
      });
      // A POST read: the body is parsed between onRequest and the handler, the context must survive it.
      fastify.post(`${prefix}/read`, { config }, async (request) => observe(String((request.body as { ctx: string }).ctx)));
    }
    fastifyBase = await fastify.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await fastify?.close();
    await manager?.close();
    await project?.close();
    await setup?.stop();
  });

  for (const route of ['sys', 'app'] as const) {
    const headers = (): Record<string, string> => (route === 'app' ? { 'x-solution': solution } : {});

    it(`Express, ${route === 'sys' ? 'system' : 'solution'} routes: A reads its write, B reads the stale replica, C with A's token reads it`, async () => {
      const ctx = `express_${route}`;
      await paused(async () => {
        const a = await send(`${expressBase}/${route}/write`, headers(), { ctx });
        expect(a.status).to.equal(200);
        expect(a.body).to.deep.equal({ count: 1, app: 'fbs_primary', solution: route === 'app' ? solution : null });
        expect(a.token).to.match(/^v1;default=[0-9A-F]+\/[0-9A-F]+$/);
        expect(await onPrimary(ctx)).to.equal(1);
        // B: a request of its own, not pinned by A's write: a replica answers, without the row.
        const b = await send(`${expressBase}/${route}/read?ctx=${ctx}`, headers());
        expect(b.body.count).to.equal(0);
        expect(b.body.app).to.match(/^fbs_r[12]$/);
        expect(b.token).to.equal(null); // B wrote nothing: no token to hand on
        const c = await send(`${expressBase}/${route}/read?ctx=${ctx}`, { ...headers(), 'x-fbs-causality': a.token! });
        expect(c.body).to.include({ count: 1, app: 'fbs_primary' });
        expect(c.token).to.equal(a.token); // an adopted token is passed on
      });
      // Once replayed, a token no longer pins: the replica has the row.
      const later = await send(`${expressBase}/${route}/read?ctx=${ctx}`, headers());
      expect(later.body.count).to.equal(1);
      expect(later.body.app).to.match(/^fbs_r[12]$/);
    });

    it(`Fastify, ${route === 'sys' ? 'system' : 'solution'} routes: the same, with a configured header and causalityHeaders() in the handler`, async () => {
      const ctx = `fastify_${route}`;
      await paused(async () => {
        const a = await send(`${fastifyBase}/${route}/write`, headers(), { ctx });
        expect([a.status, a.body]).to.deep.equal([200, { count: 1, app: 'fbs_primary', solution: route === 'app' ? solution : null }]);
        expect(a.token).to.match(/^v1;default=/);
        const b = await send(`${fastifyBase}/${route}/read`, headers(), { ctx });
        expect(b.body.count).to.equal(0);
        expect(b.body.app).to.match(/^fbs_r[12]$/);
        // The token is adopted in onRequest; the handler runs after body parsing, in the same context.
        const c = await send(`${fastifyBase}/${route}/read`, { ...headers(), 'x-causal': a.token! }, { ctx }, true);
        expect(c.body).to.include({ count: 1, app: 'fbs_primary', solution: route === 'app' ? solution : null });
        // The default header name is not read by this gate.
        const d = await send(`${fastifyBase}/${route}/read`, { ...headers(), 'x-fbs-causality': a.token! }, { ctx });
        expect(d.body.count).to.equal(0);
      });
    });
  }

  it("concurrent requests: a request's write pins only that request, not one running at the same time", async () => {
    await paused(async () => {
      const reads = await Promise.all([
        send(`${expressBase}/sys/write`, {}, { ctx: 'concurrent' }),
        ...Array.from({ length: 6 }, () => send(`${expressBase}/sys/read?ctx=concurrent_other`)),
      ]);
      expect(reads[0]!.body).to.include({ count: 1, app: 'fbs_primary' });
      expect(reads.slice(1).map((r) => r.body.app).every((app) => /^fbs_r[12]$/.test(app))).to.equal(true);
    });
  });

  it('a malformed token is refused with 400 before the handler runs (both adapters), and the server keeps serving', async () => {
    const before = reached;
    for (const [url, header] of [[`${expressBase}/sys/write`, 'x-fbs-causality'], [`${fastifyBase}/sys/write`, 'x-causal'], [`${expressBase}/app/write`, 'x-fbs-causality']] as const) {
      const refused = await send(url, { [header]: 'v1;default=banana', 'x-solution': solution }, { ctx: 'malformed' });
      expect(refused.status, url).to.equal(400);
      expect(refused.body.error.code).to.equal('causality_invalid');
      expect(refused.body.error.message).to.include(`Header '${header}'`).and.include('"v1;default=banana"').and.include("'banana' is not a WAL position");
    }
    expect((await send(`${expressBase}/sys/write`, { 'x-fbs-causality': 'not-a-token' }, { ctx: 'malformed' })).body.error.message).to.include("does not start with 'v1'");
    expect(reached).to.equal(before);
    expect(await onPrimary('malformed')).to.equal(0);
    // An empty header is no token; the servers still answer.
    expect((await send(`${expressBase}/sys/read?ctx=malformed`, { 'x-fbs-causality': '' })).status).to.equal(200);
    expect((await send(`${fastifyBase}/sys/read`, {}, { ctx: 'malformed' })).status).to.equal(200);
  });

  it('the catalogue is read on the primary: a solution created or dropped while the replicas lag is admitted or refused at once', async () => {
    await paused(async () => {
      const fresh = uniqueSolution('hctxn');
      await manager.create(fresh);
      const admitted = await send(`${expressBase}/app/read?ctx=none`, { 'x-solution': fresh });
      expect([admitted.status, admitted.body.solution]).to.deep.equal([200, fresh]);
      await manager.drop(fresh, { confirm: fresh });
      const refused = await send(`${fastifyBase}/app/read`, { 'x-solution': fresh }, { ctx: 'none' });
      expect([refused.status, refused.body.error.code]).to.deep.equal([404, 'solution_dropped']);
    });
  });

  it('a bad causality option is refused when the gate is built', () => {
    expect(() => solutionMiddleware({ manager, causality: { header: 'x bad' } })).to.throw(TypeError, `causality.header must be an HTTP header name such as 'x-fbs-causality', got "x bad"`);
    expect(() => solutionMiddleware({ manager, causality: { send: 'yes' as unknown as boolean } })).to.throw(TypeError, 'causality.send must be true or false, got "yes"');
  });

  it('jobs: a job is not pinned by a write in another job; a job enqueued after a write carries its token', async () => {
    const jobs = jobSolutions(manager);
    // Payloads go through JSON, as through Redis; the worker runs outside any scope.
    const roundTrip = <T>(data: T): { data: T } => ({ data: JSON.parse(JSON.stringify(data)) });
    const plain = await project.withContext(async () => roundTrip(jobs.carry({ ctx: 'job' }, solution)));
    expect(plain.data).to.not.have.property(JOB_CAUSALITY_KEY);
    await paused(async () => {
      let followUp: ReturnType<typeof roundTrip<object>> | undefined;
      const first = await jobs.solutionJob(async (job: { data: { ctx: string } }) => {
        const seen = await write(job.data.ctx);
        followUp = roundTrip(jobs.carry({ ctx: job.data.ctx }));
        return seen;
      })(plain);
      expect(first).to.deep.equal({ count: 1, app: 'fbs_primary', solution });
      const read = jobs.solutionJob(async (job: { data: { ctx: string } }) => observe(job.data.ctx));
      const second = await read(plain);
      expect(second.count).to.equal(0);
      expect(second.app).to.match(/^fbs_r[12]$/);
      expect((followUp!.data as Record<string, unknown>)[JOB_CAUSALITY_KEY]).to.match(/^v1;default=/);
      expect(await read(followUp as { data: { ctx: string } })).to.include({ count: 1, app: 'fbs_primary' });
      // A malformed carried token fails the job before it runs.
      let ran = false;
      const bad = { data: { ...plain.data, [JOB_CAUSALITY_KEY]: 'v2;default=0/1' } };
      const error = await jobs.withJobSolution(bad, () => (ran = true)).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigurationError);
      expect((error as Error).message).to.include("it does not start with 'v1'");
      expect(ran).to.equal(false);
    });
  });
});
