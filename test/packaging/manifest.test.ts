import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { PACKAGES, packTarballs, removeTarballs, type PackageDir } from './tarballs';

/** The files of a tarball (without the `package/` prefix) and the text of one of them. */
function listTarball(tgz: string): string[] {
  return execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}
function readFromTarball(tgz: string, file: string): string {
  return execFileSync('tar', ['-xzOf', tgz, `package/${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Every path a manifest points at: main, module, types, bin, and the exports map's leaves. */
function manifestTargets(manifest: Record<string, any>): string[] {
  const leaves = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(leaves) : []);
  return [manifest.main, manifest.module, manifest.types, ...leaves(manifest.bin), ...leaves(manifest.exports)].filter(Boolean).map((p: string) => p.replace(/^\.\//, ''));
}

describe('what each packed package ships (pnpm pack, as published)', function () {
  this.timeout(200_000);
  after(removeTarballs);

  for (const pkg of Object.keys(PACKAGES) as PackageDir[]) {
    describe(PACKAGES[pkg], () => {
      let tgz: string;
      let files: string[];
      let manifest: Record<string, any>;
      before(async () => {
        tgz = (await packTarballs()).tarballs[pkg];
        files = listTarball(tgz);
        manifest = JSON.parse(readFromTarball(tgz, 'package.json'));
      });

      it('ships every file its manifest points at, the built code with source maps, and no TypeScript sources', () => {
        for (const target of manifestTargets(manifest)) expect(files, `${target} (named in package.json)`).to.include(target);
        expect(files.filter((f) => f.startsWith('src/'))).to.deep.equal([]);
        // Every map carries the sources it maps to (an entry that only re-exports its chunks maps none).
        const maps = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js.map'));
        expect(maps, 'source maps').to.include('dist/index.js.map');
        let mapped = 0;
        for (const file of maps) {
          const map = JSON.parse(readFromTarball(tgz, file));
          expect(map.sourcesContent?.length ?? 0, `${file} carries the sources it maps to`).to.equal(map.sources.length);
          mapped += map.sources.length;
        }
        expect(mapped, 'the source maps name the sources of the build').to.be.greaterThan(0);
        expect(JSON.stringify(manifest.exports)).not.to.include('fbs-source');
      });

      it('has a LICENSE (MIT), a CHANGELOG, repository, homepage and engines', () => {
        expect(files).to.include.members(['LICENSE', 'CHANGELOG.md', 'README.md']);
        expect(manifest.license).to.equal('MIT');
        expect(readFromTarball(tgz, 'LICENSE')).to.match(/^MIT License/);
        expect(manifest.repository).to.include({ type: 'git', directory: `packages/${pkg}` });
        expect(manifest.homepage).to.match(/^https:\/\//);
        expect(manifest.engines.node).to.match(/^>=\d+/);
      });

      it('depends on workspace packages and peers by range, never by workspace protocol or a pin', () => {
        expect(JSON.stringify(manifest)).not.to.include('workspace:');
        for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }) as [string, string][]) {
          if (name.startsWith('@fbs/')) expect(range, name).to.match(/^\^\d+\.\d+\.\d+$/);
          expect(range, `${name} is pinned`).not.to.match(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
        }
        expect(manifest.peerDependencies['@types/node'], '@types/node need stated').to.be.a('string');
        expect(manifest.peerDependenciesMeta['@types/node']).to.deep.equal({ optional: true });
      });

      it('README links resolve inside the package (they work on the registry page)', () => {
        const readme = readFromTarball(tgz, 'README.md');
        const links = [...readme.matchAll(/\]\(([^)\s]+)\)|\bsrc="([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
        const relative = links.filter((l) => !/^(https?:|mailto:|#)/.test(l));
        for (const link of relative) expect(files, `README link ${link}`).to.include(link.split('#')[0]!.replace(/^\.\//, ''));
      });
    });
  }
});
