import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import { expect } from 'chai';
import { Body, Controller, Get, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { SolutionManager } from '@fbs/solutions';
import { CurrentSolution, FbsSolutionsModule } from '@fbs/http/nest';
import { Preference } from '../solutions/fixtures/apps';
import { dropAll } from '../solutions/fixtures/cleanup';
import { queryDatabase } from '../harness/postgres';
import { call, managerWith, expectLoadStaysInSolutions, sleep } from './fixtures/solutions';

describe('http: NestJS module (Express platform) over real HTTP', function () {
  this.timeout(300_000);
  let manager: SolutionManager;
  let names: string[];
  let system: string;
  let app: INestApplication;
  let base: string;
  let reached = 0;

  before(async () => {
    ({ manager, names, system } = await managerWith(20, 'hn'));
    const { project } = manager;

    @Controller()
    class PrefsController {
      @Get('health')
      health() {
        return { solution: project.hints().solution ?? null };
      }

      @Post('prefs')
      async create(@Body() body: { key: string; value: string; delay?: number }, @CurrentSolution() current: string) {
        reached++;
        const solution = project.hints().solution;
        await sleep(body.delay ?? 0);
        await project.model(Preference).create({ key: body.key, value: body.value });
        return { solution, after: project.hints().solution, current };
      }
    }

    @Module({ imports: [FbsSolutionsModule.forRoot({ manager, exclude: ['health'] })], controllers: [PrefsController] })
    class AppModule {}

    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  after(async () => {
    await app?.close();
    await dropAll(manager);
  });

  it('runs the controller in the solution of the request; @CurrentSolution() names it', async () => {
    const name = names[0]!;
    const response = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'k', value: 'one', delay: 5 }) });
    expect(response).to.deep.equal({ status: 201, body: { solution: name, after: name, current: name } });
    expect(await queryDatabase(`djo_${name}_db`, 'SELECT key, value FROM prefs_preference')).to.deep.equal([{ key: 'k', value: 'one' }]);
  });

  it('serves an excluded (system-only) route without a solution', async () => {
    expect(await call(`${base}/health`)).to.deep.equal({ status: 200, body: { solution: null } });
  });

  for (const [what, name, status, code] of [
    ['missing', undefined, 400, 'solution_missing'],
    ['malformed', 'Bad Name!', 400, 'solution_invalid'],
    ['unknown', `nobody_${process.pid}`, 404, 'solution_unknown'],
  ] as const) {
    it(`fails closed: ${what} → ${status} ${code}, the controller is never reached`, async () => {
      const before = reached;
      const response = await call(`${base}/prefs`, { method: 'POST', solution: name, body: JSON.stringify({ key: 'x', value: 'x' }) });
      expect(response.status).to.equal(status);
      expect(response.body.error).to.include(name === undefined ? { code } : { code, solution: name });
      expect(reached).to.equal(before);
    });
  }

  it('5,000 requests interleaved across 20 solutions at concurrency 50: every row in its own solution database', async () => {
    await expectLoadStaysInSolutions(base, names, system, 201);
  });
});
