import type { DatabaseStatus, MigrationStatus } from '../../types';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { writeNoMigrationsNote } from '../no-migrations-note';
import { migrationsCheck } from './migrations-check';
import { colorsFor, formatTable, writeError, writeJson } from '../output';
import { resolveTargets, type TargetFlags } from '../targets';

/** Databases shown as columns of one matrix; more are summarised one row per database. */
const MATRIX_LIMIT = 6;

/** `status`: databases × migrations (applied / pending / not routed here), edited migrations flagged. */
export async function statusCommand(context: CommandContext, flags: TargetFlags & { concurrency?: number; check?: boolean }): Promise<ExitCode> {
  const { io, migrator, config, json } = context;
  const databases = await resolveTargets(flags, config.project, config.solutions);
  if (flags.check) return migrationsCheck(context, databases, flags.concurrency);
  const statuses = await migrator.status({ databases, concurrency: flags.concurrency });
  if (json) writeJson(io, statuses);
  else {
    const c = colorsFor(io.stdout, io.env);
    const cell = (m: MigrationStatus | undefined): string => {
      if (!m) return '';
      if (m.state === 'applied') return m.checksumMismatch ? c.yellow('applied (edited)') : c.green('applied');
      if (m.state === 'pending') return c.cyan('pending');
      if (m.state === 'unknown') return c.yellow('applied (unknown)');
      return c.dim('-');
    };
    const readable = statuses.filter((s) => !s.error);
    if (readable.length > 0 && readable.length <= MATRIX_LIMIT) {
      const names = [...new Set(readable.flatMap((s) => s.migrations.map((m) => m.name)))];
      const rows = names.map((name) => [name, ...readable.map((s) => cell(s.migrations.find((m) => m.name === name)))]);
      io.stdout.write(`${formatTable(['Migration', ...readable.map((s) => s.alias)], rows, { color: c.isColorSupported })}\n`);
      io.stdout.write(c.dim('- = not routed to that database (never applied or recorded there)\n'));
    } else if (readable.length > 0) {
      const count = (s: DatabaseStatus, state: MigrationStatus['state']) => String(s.migrations.filter((m) => m.state === state).length);
      const rows = readable.map((s) => [s.alias, count(s, 'applied'), count(s, 'pending'), count(s, 'not-routed'), notes(s)]);
      io.stdout.write(`${formatTable(['Database', 'Applied', 'Pending', 'Not routed', 'Notes'], rows, { color: c.isColorSupported })}\n`);
    }
    writeNoMigrationsNote(context);
    for (const s of readable) {
      for (const m of s.migrations) {
        if (m.checksumMismatch) io.stderr.write(`warning: '${m.name}' was edited after it was applied on '${s.alias}' (checksum differs).\n`);
        if (m.state === 'unknown') io.stderr.write(`warning: '${s.alias}' records '${m.name}' as applied, but no app ships it.\n`);
      }
      for (const conflict of s.conflicts ?? []) io.stderr.write(`warning: conflicting migrations on '${s.alias}': ${conflict.names.join(' and ')} (same number, neither depends on the other).\n`);
    }
  }
  for (const s of statuses) if (s.error) writeError(io, s.error);
  return statuses.some((s) => s.error) ? EXIT.FAILED : EXIT.OK;
}

function notes(s: DatabaseStatus): string {
  const edited = s.migrations.filter((m) => m.checksumMismatch).length;
  const unknown = s.migrations.filter((m) => m.state === 'unknown').length;
  return [edited ? `${edited} edited` : '', unknown ? `${unknown} unknown` : '', s.hasHistory ? '' : 'no history table'].filter(Boolean).join(', ');
}
