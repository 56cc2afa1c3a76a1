import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { closest } from '@fbs/core';
import { folderUmzug } from '../../migration-folder';
import type { CommandContext } from '../command-context';
import { EXIT, type ExitCode } from '../exit-codes';
import { migrationTemplate, TEMPLATE_EXTENSIONS, type TemplateExtension } from '../migration-template';
import { writeJson } from '../output';
import { UsageError } from '../usage-error';

const NAME = /^[a-z][a-z0-9_]*$/;

/** Flags of `create`. */
export interface CreateFlags {
  readonly app: string;
  readonly name: string;
  readonly ext?: string;
}

/**
 * `create --app LABEL --name NAME`: writes `NNNN_name.ext` (next number) into the app's migrations
 * folder, from a template, creating the folder when it does not exist yet. A mistyped label gets
 * the closest one suggested.
 */
export async function createCommand(context: CommandContext, flags: CreateFlags): Promise<ExitCode> {
  const { io, config, json } = context;
  const apps = config.project.apps;
  const app = apps.app(flags.app);
  if (!app) {
    const labels = apps.apps().map((a) => a.label);
    const guess = closest(flags.app, labels);
    throw new UsageError(`No app is labelled '${flags.app}'.${guess ? ` Did you mean '${guess}'?` : ''} Apps: ${labels.join(', ') || '(none)'}.`);
  }
  if (typeof app.migrations !== 'string') {
    throw new UsageError(`App '${app.label}' declares its migrations as a list, not a folder; add the migration to that list in code (create writes files into a migrations folder).`);
  }
  if (!NAME.test(flags.name)) {
    throw new UsageError(`Migration name ${JSON.stringify(flags.name)} is not snake_case; use lowercase letters, digits and underscores, starting with a letter (e.g. add_usage_table).`);
  }
  if (flags.ext !== undefined && !TEMPLATE_EXTENSIONS.includes(flags.ext as TemplateExtension)) {
    throw new UsageError(`--ext ${JSON.stringify(flags.ext)} is not supported; use one of ${TEMPLATE_EXTENSIONS.join(', ')}.`);
  }
  const folder = path.resolve(app.migrations);
  // A new app's folder does not exist yet: create it (as `makemigrations` does).
  const created = (await mkdir(folder, { recursive: true })) !== undefined;
  const files = await readdir(folder);
  const extension = (flags.ext ?? guessExtension(files)) as TemplateExtension;
  const next = Math.max(0, ...files.map((f) => Number(/^(\d+)_/.exec(f)?.[1] ?? 0))) + 1;
  const fileName = `${String(next).padStart(4, '0')}_${flags.name}.${extension}`;
  await folderUmzug(folder).create({ name: fileName, prefix: 'NONE', content: migrationTemplate(extension) });
  const file = path.join(folder, fileName);
  if (json) writeJson(io, { app: app.label, name: `${app.label}/${fileName.replace(/\.[^.]+$/, '')}`, path: file, createdFolder: created });
  else io.stdout.write(`${created ? `Created the migrations folder ${folder}\n` : ''}Created ${file}\n`);
  return EXIT.OK;
}

function guessExtension(files: readonly string[]): string {
  const last = files.filter((f) => /^\d+_.*\.(?:[cm]?[jt]s)$/.test(f) && !f.endsWith('.d.ts')).sort().at(-1);
  return last ? last.slice(last.lastIndexOf('.') + 1).replace(/^[cm]ts$/, 'ts') : 'ts';
}
