import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { PACKAGES, packTarballs, removeTarballs, root, userEnv, type PackageDir } from './tarballs';

const run = promisify(execFile);
const attw = join(root, 'node_modules/.bin/attw');

/** The entry points each package must type under every resolution mode. */
const ENTRIES: Record<PackageDir, string[]> = {
  core: ['.', './embedded', './dialect'],
  migrate: ['.', './cli'],
  solutions: ['.'],
  http: ['.', './express', './fastify', './jobs', './nest'],
  testing: ['.', './mocha'],
};
const RESOLUTIONS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];

describe('types of the packed packages (arethetypeswrong)', function () {
  this.timeout(240_000);
  after(removeTarballs);

  for (const pkg of Object.keys(PACKAGES) as PackageDir[]) {
    it(`${PACKAGES[pkg]}: every entry point resolves to types and code under node10, node16 (CJS and ESM) and bundler`, async () => {
      const { tarballs } = await packTarballs();
      // attw exits 1 when it finds a problem; the JSON names it either way.
      const { stdout } = await run(attw, [tarballs[pkg], '--format', 'json', '--entrypoints', ...ENTRIES[pkg]], { env: userEnv(), maxBuffer: 64 << 20 })
        .catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
      const result = JSON.parse(stdout) as { problems?: Record<string, unknown[]>; analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean }; implementationResolution?: { fileName: string } }> }> } };
      const problems = Object.values(result.problems ?? {}).flat();
      expect(problems, JSON.stringify(result.problems, null, 2)).to.deep.equal([]);
      for (const entry of ENTRIES[pkg]) {
        const resolutions = result.analysis.entrypoints[entry]?.resolutions;
        expect(resolutions, `${PACKAGES[pkg]} entry ${entry}`).to.be.an('object');
        for (const mode of RESOLUTIONS) {
          const r = resolutions![mode];
          expect(r?.resolution?.isTypeScript, `${PACKAGES[pkg]} ${entry} under ${mode}: types`).to.equal(true);
          expect(r?.implementationResolution?.fileName, `${PACKAGES[pkg]} ${entry} under ${mode}: code`).to.match(/\/dist\/.+\.m?js$/);
        }
      }
    });
  }
});
