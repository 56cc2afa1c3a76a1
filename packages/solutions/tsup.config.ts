import { packageConfig } from '../../tsup.shared';

// The library and the fbs-solutions bin share chunks.
export default packageConfig(['src/index.ts', 'src/bin.ts'], { dts: ['src/index.ts'] });
