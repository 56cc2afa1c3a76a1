import { memoryIo } from './cli-io';
import { EXIT, type ExitCode } from './exit-codes';
import { createProgram } from './program';

/** Width the generated reference is wrapped at. */
const WIDTH = 100;

/**
 * The command reference of docs/cli.md, generated from the CLI's own help: `fbs-migrate --help`
 * and `fbs-migrate <command> --help` for each command, as Markdown.
 */
export function cliReference(): string {
  const result = { code: EXIT.OK as ExitCode };
  const program = createProgram(memoryIo(), result, { helpWidth: WIDTH });
  const sections = [`### fbs-migrate\n\n\`\`\`text\n${program.helpInformation().trimEnd()}\n\`\`\``];
  // Commands with subcommands (`history forget`, `history accept`) get a section for each.
  const walk = (parent: typeof program, prefix: string): void => {
    for (const command of parent.commands) {
      sections.push(`### ${prefix} ${command.name()}\n\n\`\`\`text\n${command.helpInformation().trimEnd()}\n\`\`\``);
      walk(command, `${prefix} ${command.name()}`);
    }
  };
  walk(program, 'fbs-migrate');
  return `${sections.join('\n\n')}\n`;
}

/** Markers around the generated part of docs/cli.md. */
export const REFERENCE_BEGIN = '<!-- BEGIN GENERATED: fbs-migrate help (pnpm --filter @fbs/migrate gen:cli-docs) -->';
export const REFERENCE_END = '<!-- END GENERATED -->';

/** `doc` with the text between the markers replaced by {@link cliReference}. */
export function withCliReference(doc: string): string {
  const begin = doc.indexOf(REFERENCE_BEGIN);
  const end = doc.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) throw new Error(`docs/cli.md lacks the markers ${REFERENCE_BEGIN} … ${REFERENCE_END}.`);
  return `${doc.slice(0, begin + REFERENCE_BEGIN.length)}\n\n${cliReference()}\n${doc.slice(end)}`;
}
