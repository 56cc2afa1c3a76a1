// Regenerates the command reference in docs/cli.md from the CLI's own help.
// Run: pnpm --filter @fbs/migrate gen:cli-docs   (test/migrate/cli-docs.test.ts fails when they drift)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withCliReference } from '../src/cli/help-reference';

const file = path.resolve(__dirname, '../../../docs/cli.md');
const before = readFileSync(file, 'utf8');
const after = withCliReference(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(after === before ? `${file} is up to date\n` : `updated ${file}\n`);
