import { packageConfig } from '../../tsup.shared';

// The library and the fbs-migrate bin share chunks: a config file the CLI loads that imports
// @fbs/migrate gets the CLI's own classes.
export default packageConfig(['src/index.ts', 'src/cli.ts'], { dts: ['src/index.ts'] });
