import { Migrator } from '../migrator';
import type { CliIo } from './cli-io';
import { loadCliConfig, type LoadedCliConfig } from './cli-config';
import type { ExitCode } from './exit-codes';

/** What every command gets: the io, the loaded config, a migrator over its project, the output mode. */
export interface CommandContext {
  readonly io: CliIo;
  readonly config: LoadedCliConfig;
  readonly migrator: Migrator;
  readonly json: boolean;
}

/** Options every command accepts (program-level). */
export interface GlobalFlags {
  readonly config?: string;
  readonly json?: boolean;
}

/** Loads the config, runs `fn` with a migrator, and always closes the project's connections. */
export async function withProject(io: CliIo, flags: GlobalFlags, fn: (context: CommandContext) => Promise<ExitCode>): Promise<ExitCode> {
  const config = await loadCliConfig({ cwd: io.cwd, config: flags.config });
  try {
    const migrator = new Migrator(config.project, config.migrator);
    return await fn({ io, config, migrator, json: Boolean(flags.json) });
  } finally {
    await config.project.close();
  }
}
