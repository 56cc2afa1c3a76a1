import { EXIT, helpReference, memoryIo, replaceGenerated, type ExitCode } from '@fbs/migrate/cli';
import { createSolutionsProgram } from './solutions-program';

/** Markers around the generated fbs-solutions part of docs/cli.md. */
export const SOLUTIONS_REFERENCE_BEGIN = '<!-- BEGIN GENERATED: fbs-solutions help (pnpm --filter @fbs/solutions gen:cli-docs) -->';
export const SOLUTIONS_REFERENCE_END = '<!-- END GENERATED: fbs-solutions -->';

/** The fbs-solutions command reference (its own `--help` and each command's), as Markdown. */
export function solutionsCliReference(): string {
  const result = { code: EXIT.OK as ExitCode };
  // memoryIo's streams are 120 columns wide: the help wraps at the CLI's maximum, 100.
  return helpReference(createSolutionsProgram(memoryIo(), result, { load: () => Promise.reject(new Error('help only')) }));
}

/** `doc` (docs/cli.md) with its fbs-solutions reference regenerated. */
export function withSolutionsCliReference(doc: string): string {
  return replaceGenerated(doc, SOLUTIONS_REFERENCE_BEGIN, SOLUTIONS_REFERENCE_END, solutionsCliReference());
}
