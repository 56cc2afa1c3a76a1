import type { Command } from 'commander';
import { memoryIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { createProgram } from './program';

/** Width the generated reference is wrapped at. */
export const REFERENCE_WIDTH = 100;

/**
 * A command line's reference as Markdown: the program's `--help`, then each command's (and each
 * subcommand's, e.g. `db create`) under a `###` heading. Shared by fbs-migrate and fbs-solutions.
 */
export function helpReference(program: Command): string {
  const sections: string[] = [];
  const visit = (command: Command, name: string) => {
    sections.push(`### ${name}\n\n\`\`\`text\n${command.helpInformation().trimEnd()}\n\`\`\``);
    for (const sub of command.commands) visit(sub, `${name} ${sub.name()}`);
  };
  visit(program, program.name());
  return `${sections.join('\n\n')}\n`;
}

/**
 * The command reference of docs/cli.md, generated from the CLI's own help: `fbs-migrate --help`
 * and `fbs-migrate <command> --help` for each command, as Markdown.
 */
export function cliReference(): string {
  const result = { code: EXIT.OK as ExitCode };
  return helpReference(createProgram(memoryIo(), result, { helpWidth: REFERENCE_WIDTH }));
}

/** Markers around the generated part of docs/cli.md. */
export const REFERENCE_BEGIN = '<!-- BEGIN GENERATED: fbs-migrate help (pnpm --filter @fbs/migrate gen:cli-docs) -->';
export const REFERENCE_END = '<!-- END GENERATED -->';

/** `doc` with the text between `begin` and the next `end` marker replaced by `text`. */
export function replaceGenerated(doc: string, begin: string, end: string, text: string): string {
  const from = doc.indexOf(begin);
  const to = from < 0 ? -1 : doc.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`The document lacks the markers ${begin} … ${end}.`);
  return `${doc.slice(0, from + begin.length)}\n\n${text}\n${doc.slice(to)}`;
}

/** `doc` with the text between the markers replaced by {@link cliReference}. */
export function withCliReference(doc: string): string {
  return replaceGenerated(doc, REFERENCE_BEGIN, REFERENCE_END, cliReference());
}
