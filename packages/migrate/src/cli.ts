#!/usr/bin/env node
import { processIo } from './cli/cli-io';
import { runCli } from './cli/program';

// The bin: a thin shell over runCli. The exit code is set, never forced, so output is flushed.
// SIGINT/SIGTERM abort the run (it stops after the current migration, prints what committed and
// exits 130); a second signal gets the default behaviour and ends the process at once.
const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runCli(process.argv.slice(2), processIo(), { signal: controller.signal }).then((code) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
});
