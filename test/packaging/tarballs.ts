import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The workspace root. */
export const root = resolve(__dirname, '../..');

/** The published packages, by directory under packages/. */
export const PACKAGES = { core: '@fbs/core', migrate: '@fbs/migrate', solutions: '@fbs/solutions', http: '@fbs/http', testing: '@fbs/testing' } as const;
export type PackageDir = keyof typeof PACKAGES;

/**
 * The variables a package manager's script runner adds (the user's own `npm_config_registry`, proxy
 * and cache settings are kept), the workspace's NODE_OPTIONS, and the test-server variables.
 */
const RUNNER_VARIABLE = /^(npm_(lifecycle|package)_|npm_command$|npm_(node_)?execpath$|npm_config_(user_agent|verify_deps_before_run)$|pnpm_config_|PNPM_|NODE_OPTIONS$|INIT_CWD$|FBS_)/;

/** The environment of a user's shell: no pnpm/npm script variables, no fbs-source condition. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (RUNNER_VARIABLE.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

let packed: Promise<{ dir: string; tarballs: Record<PackageDir, string> }> | undefined;

/**
 * Builds the packages and `pnpm pack`s them into one temporary directory (once per process):
 * exactly what `pnpm publish` would upload (workspace ranges rewritten, `publishConfig` applied).
 */
export function packTarballs(): Promise<{ dir: string; tarballs: Record<PackageDir, string> }> {
  packed ??= Promise.resolve().then(() => {
    const dir = mkdtempSync(join(tmpdir(), 'fbs-tarballs-'));
    const filters = Object.values(PACKAGES).flatMap((name) => ['--filter', name]);
    execFileSync('pnpm', [...filters, 'run', 'build'], { cwd: root, stdio: 'ignore', timeout: 300_000 }); // five packages; minutes on a loaded machine
    const tarballs = {} as Record<PackageDir, string>;
    for (const pkg of Object.keys(PACKAGES) as PackageDir[]) {
      execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: join(root, 'packages', pkg), stdio: 'ignore', timeout: 60_000 });
      const file = readdirSync(dir).find((f) => f.startsWith(`fbs-${pkg}-`) && f.endsWith('.tgz'));
      if (!file) throw new Error(`pnpm pack of packages/${pkg} wrote no fbs-${pkg}-*.tgz in ${dir}`);
      tarballs[pkg] = join(dir, file);
    }
    return { dir, tarballs };
  });
  return packed;
}

/** Removes the packed tarballs (call from a root `after`). */
export async function removeTarballs(): Promise<void> {
  if (!packed) return;
  const { dir } = await packed.catch(() => ({ dir: undefined }));
  packed = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
