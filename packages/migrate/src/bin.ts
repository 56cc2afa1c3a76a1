#!/usr/bin/env node
import { processIo, runBin, runCli } from './cli';

// The bin: a thin shell over runCli. SIGINT/SIGTERM abort the run (it stops after the current
// migration, prints what committed and exits 130); a second signal ends the process at once.
runBin((signal) => runCli(process.argv.slice(2), processIo(), { signal }));
