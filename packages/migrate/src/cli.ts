#!/usr/bin/env node
import { processIo } from './cli/cli-io';
import { runCli } from './cli/program';

// The bin: a thin shell over runCli. The exit code is set, never forced, so output is flushed.
void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
