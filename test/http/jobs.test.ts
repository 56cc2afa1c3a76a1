import { expect } from 'chai';
import { UnknownSolutionError, type SolutionManager } from '@fbs/solutions';
import { JOB_SOLUTION_KEY, jobSolutions, solutionJob, withJobSolution } from '@fbs/http/jobs';
import { Preference, uniqueSolution } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { queryDatabase } from '../harness/postgres';
import { expectSystemUntouched, managerWith } from './fixtures/solutions';

/** A BullMQ-like queue: payloads go through JSON (as through Redis), the worker runs outside any scope. */
class TinyQueue<T> {
  readonly #jobs: Array<{ id: number; name: string; data: T }> = [];
  add(name: string, data: T): void {
    this.#jobs.push(JSON.parse(JSON.stringify({ id: this.#jobs.length + 1, name, data })));
  }
  async drain(processor: (job: { id: number; name: string; data: T }) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
    const jobs = this.#jobs.splice(0);
    return Promise.all(jobs.map((job) => new Promise<void>((resolve) => setImmediate(resolve)).then(() => processor(job)).then(
      (value) => ({ status: 'fulfilled' as const, value }),
      (reason) => ({ status: 'rejected' as const, reason }),
    )));
  }
}

describe('http: background jobs carry their solution', function () {
  this.timeout(120_000);
  let manager: SolutionManager;
  let names: string[];
  let system: string;

  before(async () => {
    ({ manager, names, system } = await managerWith(3, 'hj'));
  });
  after(() => dropAll(manager));

  it('a job enqueued in a solution runs in it (BullMQ-style processor), whatever order the worker takes them in', async () => {
    const { project } = manager;
    const jobs = jobSolutions(manager);
    const queue = new TinyQueue<{ key: string; [JOB_SOLUTION_KEY]?: string }>();
    for (let i = 0; i < 30; i++) {
      const name = names[i % names.length]!;
      await manager.withSolution(name, async () => queue.add('pref', jobs.carry({ key: `job${i}` })));
    }
    expect(project.hints().solution).to.equal(undefined);
    const results = await queue.drain(jobs.solutionJob(async (job) => {
      await project.model(Preference).create({ key: job.data.key, value: project.hints().solution! });
      return project.hints().solution;
    }));
    expect(results.every((r) => r.status === 'fulfilled')).to.equal(true);
    for (const [index, name] of names.entries()) {
      const rows = await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference ORDER BY id');
      expect(rows.map((r) => r.value)).to.deep.equal(Array(10).fill(name));
      expect(rows.map((r) => Number(r.key.slice(3)) % names.length)).to.deep.equal(Array(10).fill(index));
    }
    await expectSystemUntouched(system);
  });

  it('plain async functions: solutionJob(manager, fn) and withJobSolution(manager, payload, fn)', async () => {
    const { project } = manager;
    const name = names[0]!;
    const payload = jobSolutions(manager).carry({ n: 1 }, name);
    expect(payload).to.deep.equal({ n: 1, [JOB_SOLUTION_KEY]: name });
    const task = solutionJob(manager, async (p: typeof payload, extra: string) => `${project.hints().solution}:${p.n}:${extra}`);
    expect(await task(payload, 'x')).to.equal(`${name}:1:x`);
    expect(await withJobSolution(manager, payload, () => project.hints().solution)).to.equal(name);
  });

  it('fails closed: no solution carried, none in scope, or a solution dropped since → the job body never runs', async () => {
    const jobs = jobSolutions(manager);
    let ran = 0;
    const processor = jobs.solutionJob(async () => void ran++);
    await expect(processor({ data: { key: 'x' } })).to.be.rejectedWith(TypeError, /carries no solution.*carry\(data\)/);
    expect(() => jobs.carry({ key: 'x' })).to.throw(TypeError, /no solution/);
    expect(() => jobs.carry({ key: 'x' }, 'Bad Name!')).to.throw(/Invalid solution name/);
    const gone = uniqueSolution('hjd');
    await manager.create(gone);
    const payload = jobs.carry({ key: 'x' }, gone);
    await manager.drop(gone, { confirm: gone });
    await expect(processor({ data: payload })).to.be.rejectedWith(UnknownSolutionError, gone);
    expect(ran).to.equal(0);
  });
});
