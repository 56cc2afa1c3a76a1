#!/usr/bin/env node
import { processIo, runBin } from '@fbs/migrate/cli';
import { runSolutionsCli } from './cli/solutions-program';

// The bin: a thin shell over runSolutionsCli. SIGINT/SIGTERM stop `create` and `migrate` (after the
// current step or migration; one in flight is rolled back), which print what was done and exit 130;
// a second signal ends the process at once.
runBin((signal) => runSolutionsCli(process.argv.slice(2), processIo(), { signal }));
