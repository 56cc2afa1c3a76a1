import { packageConfig } from '../../tsup.shared';

// `@fbs/core/embedded`, `@fbs/core/dialect` and `@fbs/core` share chunks, so one FbsError serves all three.
export default packageConfig({ index: 'src/index.ts', embedded: 'src/embedded.ts', dialect: 'src/dialect/index.ts' });
