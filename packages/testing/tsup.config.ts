import { packageConfig } from '../../tsup.shared';

// The SDK packages are peers: never bundled.
const entries = ['src/index.ts', 'src/mocha.ts'];
export default packageConfig(entries, { dts: entries, external: ['@fbs/core', '@fbs/core/embedded', '@fbs/migrate', '@fbs/solutions'] });
