import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { cliReference, withCliReference } from '@fbs/migrate/cli';
import { runInProcess } from './cli-harness';

describe('docs/cli.md', () => {
  const doc = readFileSync(path.resolve(__dirname, '../../docs/cli.md'), 'utf8');

  it('has the command reference the CLI prints today (regenerate: pnpm --filter @fbs/migrate gen:cli-docs)', () => {
    expect(withCliReference(doc) === doc, 'docs/cli.md is stale: run pnpm --filter @fbs/migrate gen:cli-docs').to.equal(true);
  });

  it('the reference is the help each command prints', async () => {
    for (const command of ['up', 'down', 'status', 'plan', 'create', 'make', 'check', 'routes', 'sqlmigrate']) {
      const help = await runInProcess([command, '--help']);
      expect(help.code).to.equal(0);
      // The CLI wraps to the terminal width; compare word sequences.
      const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');
      expect(words(cliReference())).to.contain(words(help.stdout));
    }
  });
});
