import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { SolutionManager } from '@fbs/solutions';
import { ONE_KIND, oneKindProject, solutionProject } from '../solutions/fixtures/apps';

const URL = 'postgres://postgres@127.0.0.1:5432/fbs_capcfg_never_connected';

/** The error `make()` throws (undefined when it does not). */
function thrown(make: () => unknown): unknown {
  try {
    const made = make() as { close?: () => Promise<void> } | undefined;
    void made?.close?.();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('reliability: pool cap configurations that could stall are refused up front', () => {
  it('refuses a cap below what one solution may hold (pool.perSolution × its databases), naming the values and the fix', () => {
    const error = thrown(() => new SolutionManager(solutionProject(URL), { pool: { maxConnections: 3, perSolution: 2 } }));
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('pool.maxConnections (3)')
      .and.contain('pool.perSolution (2) × 2 databases = 4')
      .and.contain('Set pool.maxConnections to at least 4, or lower pool.perSolution');
    expect(thrown(() => new SolutionManager(solutionProject(URL), { pool: { maxConnections: 4, perSolution: 2 } }))).to.equal(undefined);
    expect(thrown(() => new SolutionManager(oneKindProject(URL), { databases: ONE_KIND, pool: { maxConnections: 2 } }))).to.equal(undefined);
  });

  it('refuses a migrator concurrency × pool.perSolution above pool.maxConnections, naming the values and the fix', () => {
    const error = thrown(() => new SolutionManager(solutionProject(URL), { pool: { maxConnections: 6 }, migrator: { concurrency: 4 } }));
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as Error).message)
      .to.contain('migrator.concurrency (4) × pool.perSolution (2) = 8 connections exceeds pool.maxConnections (6)')
      .and.contain('Lower migrator.concurrency to at most 3, or raise pool.maxConnections to at least 8');
    expect(thrown(() => new SolutionManager(solutionProject(URL), { pool: { maxConnections: 6 }, migrator: { concurrency: 3 } }))).to.equal(undefined);
  });
});
