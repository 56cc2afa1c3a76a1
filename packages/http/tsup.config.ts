import { packageConfig } from '../../tsup.shared';

// Express, Fastify and NestJS are optional peers, imported for types (and by the entry that adapts each).
const entries = ['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/jobs.ts', 'src/nest.ts'];
export default packageConfig(entries, { dts: entries, external: ['express', 'fastify', /^@nestjs\//, '@fbs/core', '@fbs/solutions'] });
