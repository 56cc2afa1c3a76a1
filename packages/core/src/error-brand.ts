/**
 * `instanceof` for the SDK's error classes that holds across two installed copies of @fbs/core
 * (an app's and a library's, or two versions side by side), not only within one copy.
 *
 * Every class in an error's chain (FbsError, ConfigurationError, …, and subclasses in @fbs/migrate,
 * @fbs/solutions or the app) marks its prototype, when its first instance is made, with the
 * process-wide symbol `Symbol.for('@fbs/core/error:<ClassName>')`. `err instanceof X` is true when
 * `X.prototype` is in the prototype chain of `err` (the ordinary rule) or when `err` carries the mark
 * of a class named like `X`. Within one copy nothing changes; across copies, classes are matched
 * by name (so give your own FbsError subclasses distinct names).
 */
export class BrandedError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    markChain(new.target);
  }

  /** The ordinary prototype check, or the brand of a class of the same name made by another copy. */
  static [Symbol.hasInstance]<T>(this: abstract new (...args: any[]) => T, value: unknown): value is T {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (this === (BrandedError as unknown) || (typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    return (value as Record<symbol, unknown>)[errorBrand(this.name)] === true;
  }
}

/** The process-wide brand of the error class named `name`. */
export function errorBrand(name: string): symbol {
  return Symbol.for(`@fbs/core/error:${name}`);
}

/** Marks the prototype of `cls` and of each class it extends, up to BrandedError (once per class). */
function markChain(cls: Function): void {
  for (let c: Function | null = cls; c !== null && c !== BrandedError && c !== Error; c = Object.getPrototypeOf(c)) {
    if (typeof c !== 'function' || !c.name) continue;
    const brand = errorBrand(c.name);
    if (Object.prototype.hasOwnProperty.call(c.prototype, brand)) return;
    Object.defineProperty(c.prototype, brand, { value: true });
  }
}
