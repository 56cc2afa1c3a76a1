// Config of the fbs-migrate CLI: the FBS project and its solutions, configured from the seed's
// environment variables (DB_NAME, DB_USER, DB_PASSWORD, DB_HOST, DB_PORT and LIC_DB_*).
//
// The CLI loads this file with jiti, whose Babel transform cannot compile the models' decorated
// `declare` fields; so the app itself is loaded through ts-node (swc, with decorator metadata).
import { createRequire } from 'node:module';
import type { FbsCliConfig } from '@fbs/migrate';

const load = createRequire(__filename);
if (!(process as any)[Symbol.for('ts-node.register.instance')]) load('ts-node').register({ swc: true });
const { createFbsPlatform } = load('./src/platform') as typeof import('./src/platform');

// FBS_SOLUTION_TEMPLATES=off: create solution databases empty and migrate them, instead of cloning templates.
const fbs = createFbsPlatform({ solutions: { templates: process.env.FBS_SOLUTION_TEMPLATES !== 'off' } });

const config: FbsCliConfig = { project: fbs.project, solutions: fbs.solutions };
export default config;
