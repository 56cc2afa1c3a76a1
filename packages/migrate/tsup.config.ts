import { packageConfig } from '../../tsup.shared';

// The library, its CLI entry (@fbs/migrate/cli) and the fbs-migrate bin share chunks: a config file
// the CLI loads that imports @fbs/migrate gets the CLI's own classes. The main entry's chunks hold
// nothing of the CLI (test/migrate/entry-isolation.test.ts).
export default packageConfig(['src/index.ts', 'src/cli.ts', 'src/bin.ts'], { dts: ['src/index.ts', 'src/cli.ts'] });
