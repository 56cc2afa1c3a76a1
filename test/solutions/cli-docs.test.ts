import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { memoryIo } from '@fbs/migrate/cli';
import { runSolutionsCli, solutionsCliReference, withSolutionsCliReference } from '@fbs/solutions';

describe('docs/cli.md: the fbs-solutions reference', () => {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/cli.md'), 'utf8');

  it('is the reference the CLI prints today (regenerate: pnpm --filter @fbs/solutions gen:cli-docs)', () => {
    expect(withSolutionsCliReference(doc) === doc, 'docs/cli.md is stale: run pnpm --filter @fbs/solutions gen:cli-docs').to.equal(true);
  });

  it('holds the help each command prints', async () => {
    const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
    for (const command of ['create', 'list', 'drop', 'migrate', 'seed', 'run']) {
      const io = memoryIo();
      expect(await runSolutionsCli([command, '--help'], io)).to.equal(0);
      expect(words(solutionsCliReference())).to.contain(words(io.output().stdout));
      expect(doc).to.contain(`### fbs-solutions ${command}\n`);
    }
  });
});
