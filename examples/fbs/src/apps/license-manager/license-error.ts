import { FbsError } from '@fbs/core';

/** A license refused an operation: no license, a disabled feature, or a usage limit reached. */
export class LicenseError extends FbsError {
  readonly solution: string;
  readonly feature: string | undefined;
  constructor(solution: string, feature: string | undefined, message: string) {
    super('FBS_LICENSE', message);
    this.solution = solution;
    this.feature = feature;
  }
}
