#!/usr/bin/env node
import { processIo } from '@fbs/migrate';
import { runSolutionsCli } from './cli/solutions-program';

// The bin: a thin shell over runSolutionsCli. The exit code is set, never forced, so output is flushed.
void runSolutionsCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
