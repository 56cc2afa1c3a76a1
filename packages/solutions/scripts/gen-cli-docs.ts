// Regenerates the fbs-solutions command reference in docs/cli.md from the CLI's own help.
// Run: pnpm --filter @fbs/solutions gen:cli-docs   (test/solutions/cli-docs.test.ts fails when they drift)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSolutionsCliReference } from '../src/cli/help-reference';

const file = path.resolve(__dirname, '../../../docs/cli.md');
const before = readFileSync(file, 'utf8');
const after = withSolutionsCliReference(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? `${file} is up to date\n` : `updated ${file}\n`);
