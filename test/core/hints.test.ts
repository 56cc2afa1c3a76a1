import { expect } from 'chai';
import { createProject, HintRouter, MissingHintError } from '@fbs/core';
import { Customer } from '../fixtures/models';
import { setupProject, type TestProject } from './setup';

describe('ambient hints', () => {
  let t: TestProject;
  // What a solution package (e.g. a SolutionManager) adds to `withSolution`: core itself knows only `hints.solution`.
  const seedNaming = (solution: string) => ({ database: `djo_${solution}_db` });
  before(async () => {
    t = await setupProject(['default', 'djo_a_db', 'djo_b_db', 'djo_c_db'], [new HintRouter({ apps: ['shop'] })]);
    t.project.addSolutionHints(seedNaming);
  });
  after(() => t.close());

  it('withHints routes through hints.database; nesting merges and restores', async () => {
    const p = t.project;
    await p.withHints({ database: 'djo_a_db', tag: 1 }, async () => {
      expect(p.model(Customer).dbForWrite()).to.equal('djo_a_db');
      await p.withHints({ database: 'djo_b_db' }, async () => {
        expect(p.hints()).to.deep.equal({ database: 'djo_b_db', tag: 1 });
        await p.model(Customer).create({ name: 'in-b' });
      });
      expect(p.hints()).to.deep.equal({ database: 'djo_a_db', tag: 1 });
      await p.model(Customer).create({ name: 'in-a' });
    });
    expect(p.hints()).to.deep.equal({});
    expect(p.model(Customer).dbForWrite()).to.equal('default');
    expect((await t.rows('djo_a_db', 'shop_customer')).map((r) => r.name)).to.deep.equal(['in-a']);
    expect((await t.rows('djo_b_db', 'shop_customer')).map((r) => r.name)).to.deep.equal(['in-b']);
  });

  it('withSolution puts { solution } in scope, plus what solution-hint providers add (removable)', async () => {
    await t.project.withSolution('c', async () => {
      expect(t.project.hints()).to.deep.equal({ solution: 'c', database: 'djo_c_db' });
      await t.project.model(Customer).create({ name: 'solution-c' });
    });
    expect((await t.rows('djo_c_db', 'shop_customer')).map((r) => r.name)).to.deep.equal(['solution-c']);
    const remove = t.project.addSolutionHints((solution) => ({ database: `x_${solution}`, region: 'eu', solution: 'overridden?' }));
    t.project.withSolution('c', () => expect(t.project.hints(), 'the later provider wins; `solution` is always the name').to.deep.equal({ solution: 'c', database: 'x_c', region: 'eu' }));
    remove();
    t.project.withSolution('c', () => expect(t.project.hints()).to.deep.equal({ solution: 'c', database: 'djo_c_db' }));
    expect(() => t.project.addSolutionHints('djo_{name}_db' as never)).to.throw(/addSolutionHints\(\) needs a function/);
  });

  it('without providers, core knows no solution naming: withSolution gives { solution } only', async () => {
    const bare = createProject({ databases: { default: 'postgres://127.0.0.1/never_used' } });
    try {
      bare.withSolution('acme', () => expect(bare.hints()).to.deep.equal({ solution: 'acme' }));
    } finally {
      await bare.close();
    }
  });

  it('nested scopes under concurrent async work never leak', async () => {
    const solutions = ['a', 'b', 'c'];
    const seen: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => {
        const s = solutions[i % 3]!;
        return t.project.withSolution(s, async () => {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          await t.project.withHints({ request: i }, async () => {
            await Promise.resolve();
            const h = t.project.hints();
            if (h.solution !== s || h.request !== i || h.database !== `djo_${s}_db`) seen.push(`${i}: ${JSON.stringify(h)}`);
            await t.project.model(Customer).create({ name: `req-${s}-${i}` });
          });
          if (t.project.hints().request !== undefined) seen.push(`${i}: inner hints leaked out`);
        });
      }),
    );
    expect(seen).to.deep.equal([]);
    for (const s of solutions) {
      const names: string[] = (await t.rows(`djo_${s}_db`, 'shop_customer', `name LIKE 'req-%'`)).map((r) => r.name);
      expect(names).to.have.length(100);
      expect(names.every((n) => n.startsWith(`req-${s}-`)), `djo_${s}_db holds only its own rows`).to.equal(true);
    }
  });
});

describe('HintRouter({ required: true })', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default', 'djo_a_db'], [new HintRouter({ apps: ['shop'], required: true })])));
  after(() => t.close());

  it('refuses solution data without a hint instead of writing it to default', async () => {
    const before = await t.rows('default', 'shop_customer');
    const error = await t.project.model(Customer).create({ name: 'lost' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(MissingHintError);
    expect((error as Error).message).to.include("shop.Customer is routed by the 'database' hint").and.include('withSolution');
    expect(await t.rows('default', 'shop_customer')).to.deep.equal(before);
    await t.project.withHints({ database: 'djo_a_db' }, () => t.project.model(Customer).create({ name: 'found' }));
    expect((await t.rows('djo_a_db', 'shop_customer')).map((r) => r.name)).to.deep.equal(['found']);
  });
});
