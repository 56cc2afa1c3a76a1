// Config of the fbs-migrate CLI: the FBS project and its solutions, configured from the seed's
// environment variables (DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, DB_PORT and LIC_DB_*).
//
// The CLI compiles this file and what it imports (the decorated models with their `declare`
// fields) with swc, keeping the decorator metadata: nothing to register.
import { defineConfig } from '@fbs/migrate';
import { createFbsPlatform } from './src/platform';

// FBS_SOLUTION_TEMPLATES=off: create solution databases empty and migrate them, instead of cloning templates.
const fbs = createFbsPlatform({ solutions: { templates: process.env.FBS_SOLUTION_TEMPLATES !== 'off' } });

export default defineConfig({ project: fbs.project, solutions: fbs.solutions });
