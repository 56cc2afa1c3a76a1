import { packageConfig } from '../../tsup.shared';

// `@fbs/core/embedded` and `@fbs/core` share chunks, so one FbsError serves both.
export default packageConfig(['src/index.ts', 'src/embedded.ts']);
