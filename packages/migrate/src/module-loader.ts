import type { createJiti } from 'jiti';

type JitiTransform = NonNullable<NonNullable<Parameters<typeof createJiti>[1]>['transform']>;
type TransformOptions = Parameters<JitiTransform>[0];
type TransformResult = ReturnType<JitiTransform>;

/** Loads one file as a module and returns its exports. */
export interface ModuleLoader {
  import(file: string): Promise<unknown>;
}

/** Thrown (as the cause of a clear message) when a TypeScript file must be compiled but @swc/core cannot be loaded. */
const SWC_MISSING = 'loading TypeScript files needs @swc/core (a dependency of @fbs/migrate): reinstall the packages, or add it with `npm install @swc/core`';

type Swc = typeof import('@swc/core');
let swc: Swc | undefined;

/**
 * A loader for config and migration files, TypeScript or JavaScript, ESM or CommonJS, without the
 * user registering anything: jiti resolves and evaluates the files (and whatever they import), swc
 * compiles them, keeping legacy decorators and their metadata and leaving `declare` fields out, the
 * way `tsc` with `experimentalDecorators` and `emitDecoratorMetadata` does (sequelize-typescript
 * models written `@Column declare name: string` need both). jiti and swc are required on first use
 * only, so `import { Migrator } from '@fbs/migrate'` loads neither.
 *
 * @example
 * ```ts
 * const exports = await createModuleLoader(process.cwd()).import('/srv/app/fbs.config.ts');
 * ```
 */
export function createModuleLoader(base: string): ModuleLoader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jiti = (require('jiti') as { createJiti: typeof createJiti }).createJiti(base, { interopDefault: true, transform: swcTransform, fsCache: false });
  return { import: (file) => jiti.import(file) };
}

/** jiti's transform hook, through swc: CommonJS output (evaluated by jiti with its own `require`). */
export function swcTransform(options: TransformOptions): TransformResult {
  const filename = options.filename ?? 'module.ts';
  const ts = options.ts ?? /\.[cm]?tsx?$/.test(filename);
  const tsx = filename.endsWith('.tsx');
  try {
    const out = loadSwc().transformSync(options.source, {
      filename,
      swcrc: false,
      configFile: false,
      sourceMaps: 'inline',
      jsc: {
        parser: ts ? { syntax: 'typescript', decorators: true, tsx } : { syntax: 'ecmascript', decorators: true, jsx: false },
        transform: { legacyDecorator: true, decoratorMetadata: ts, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs', strictMode: false },
    });
    return { code: out.code };
  } catch (error) {
    return { code: '', error };
  }
}

function loadSwc(): Swc {
  if (swc) return swc;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    swc = require('@swc/core') as Swc;
    return swc;
  } catch (error) {
    throw new Error(SWC_MISSING, { cause: error });
  }
}
