import { expect } from 'chai';
import sinon from 'sinon';
import { Client } from 'pg';
import { InvalidSolutionNameError, SolutionManager, SOLUTION_NAME_PATTERN } from '@fbs/solutions';
import { createProject } from '@fbs/core';
import { solutionProject, TEMPLATES } from './fixtures/apps';
import { databasesLike, dropAll } from './fixtures/cleanup';
import { createDatabases, testServer } from '../harness/postgres';

const INJECTIONS: unknown[] = [
  'acme"; DROP DATABASE postgres; --', "acme' OR '1'='1", 'acme; DROP TABLE fbs_solutions', "Robert'); DROP TABLE students;--",
  'acme corp', ' acme', 'acme ', 'acme\n', 'acme\t', 'acme\u0000', '\u0430cme' /* Cyrillic a */, '\uff41cme' /* fullwidth a */,
  'acme\u200b', 'acme\u0301', '\u0131cme' /* dotless i */, 'stra\u00dfe', 'ACME', 'Acme', 'acme-corp', 'acme.corp', 'acme/x', 'acme\\x',
  '1acme', '_acme', 'pg_catalog', 'pg_acme', 'template', 'template1', 'templates', 'a'.repeat(41), '', 'acme$1', 'acme/*x*/', '$$',
  'acme%', 'acme*', 'acme"', "acme'", '${name}', 'acme\r\nDROP', '\u{1f600}', 'legacy' /* its djo database is taken */,
  null, undefined, 42, {}, ['acme'], { toString: () => 'acme' },
];

/** A random string from an alphabet weighted towards almost-valid names. */
function randomName(random: () => number): string {
  const alphabets = ['abcdefghijklmnopqrstuvwxyz', '0123456789_', 'ABCXYZ', ' ;\'"-.$/\\%*()=\n\t\u0000', '\u0430\u0435\uff41\u200b\u0301\u0131\u00df\u{1f600}'];
  const length = Math.floor(random() * 70);
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    const alphabet = alphabets[r < 0.6 ? 0 : r < 0.8 ? 1 : r < 0.87 ? 2 : r < 0.95 ? 3 : 4]!;
    out += [...alphabet][Math.floor(random() * [...alphabet].length)];
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so a failure can be reproduced from the seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The documented rule, written independently of the implementation. */
function documentedValid(name: string): boolean {
  return /^[a-z][a-z0-9_]*$/.test(name) && name.length <= 40 && !name.startsWith('pg_') && !name.startsWith('template') && name !== 'legacy';
}

describe('solutions: names', function () {
  this.timeout(120_000);
  let system: string;
  let manager: SolutionManager;
  let query: sinon.SinonSpy;
  let connect: sinon.SinonSpy;

  before(async () => {
    system = (await createDatabases(1, 'solname'))[0]!;
    query = sinon.spy(Client.prototype, 'query');
    connect = sinon.spy(Client.prototype, 'connect');
  });
  after(async () => {
    query.restore();
    connect.restore();
    if (manager) await dropAll(manager);
  });

  it('refuses fuzzed and hostile names before any SQL runs, saying what is allowed', async () => {
    const server = await testServer();
    const base = solutionProject(server.url(system));
    const project = createProject({ databases: { default: server.url(system), legacy: server.url('djo_legacy_db') }, routers: [], apps: base.apps.apps() });
    manager = new SolutionManager(project, { templates: TEMPLATES });
    const seed = Number(process.env.FBS_FUZZ_SEED ?? Date.now() % 1e9);
    const random = prng(seed);
    const names = [...INJECTIONS, ...Array.from({ length: 5000 }, () => randomName(random))];
    query.resetHistory();
    connect.resetHistory();
    let invalid = 0;
    for (const name of names) {
      if (typeof name === 'string' && documentedValid(name)) {
        expect(manager.validate(name), `seed ${seed}`).to.equal(name);
        continue;
      }
      invalid++;
      const calls = [
        () => manager.create(name as string),
        () => manager.drop(name as string, { confirm: name as string }),
        () => manager.withSolution(name as string, () => 1),
        () => manager.databases(name as string),
        () => manager.info(name as string),
      ];
      for (const call of calls) {
        const error = await call().then(() => undefined, (e: unknown) => e);
        expect(error, `${JSON.stringify(name)} (seed ${seed})`).to.be.instanceOf(InvalidSolutionNameError);
        expect((error as Error).message).to.match(/lowercase ASCII letters|reserved|63-byte|already a configured database/);
      }
    }
    expect(invalid).to.be.greaterThan(4000);
    expect(query.callCount, 'SQL statements run').to.equal(0);
    expect(connect.callCount, 'connections opened').to.equal(0);
    await project.close();
  });

  it('explains the rule and suggests a fix', () => {
    const error = (() => {
      try {
        manager.validate('Acme Corp');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error!.message).to.contain('"Acme Corp"').and.contain(SOLUTION_NAME_PATTERN.source).and.contain("Did you mean 'acme_corp'?");
    expect(() => manager.validate('pg_x')).to.throw(InvalidSolutionNameError, "names starting with 'pg_' are reserved");
    expect(() => manager.validate('legacy')).to.throw(InvalidSolutionNameError, "'djo_legacy_db' is already a configured database");
  });

  it('valid fuzzed names create exactly their two databases', async () => {
    const server = await testServer();
    const valid = new SolutionManager(solutionProject(server.url(system)), { templates: TEMPLATES });
    const random = prng(Date.now() % 1e9);
    try {
      for (let i = 0; i < 3; i++) {
        const length = 1 + Math.floor(random() * 30);
        let name = `z${process.pid}`;
        while (name.length < length + 8) name += 'abcdefghijklmnopqrstuvwxyz0123456789_'[Math.floor(random() * 37)];
        const before = await databasesLike('%');
        await valid.create(name);
        const after = await databasesLike('%');
        // The first creation also builds the two template databases; every other database is the solution's.
        const added = after.filter((d) => !before.includes(d) && !d.includes(`_${TEMPLATES.name}_`));
        expect(added.sort(), name).to.deep.equal([`djo_${name}_db`, `fbs_${name}_db`]);
      }
    } finally {
      await dropAll(valid);
    }
  });
});
