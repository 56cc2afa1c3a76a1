#!/usr/bin/env node
import { processIo } from '@fbs/migrate';
import { runSolutionsCli } from './cli/solutions-program';

// The bin: a thin shell over runSolutionsCli. The exit code is set, never forced, so output is flushed.
// SIGINT/SIGTERM stop `create` and `migrate` (after the current step or migration; one in flight is
// rolled back), which print what was done and exit 130; a second signal ends the process at once.
const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runSolutionsCli(process.argv.slice(2), processIo(), { signal: controller.signal }).then((code) => {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
});
