export { SolutionGate } from './solution-gate';
export type { Admission, SolutionGateOptions } from './solution-gate';
export { SolutionCache } from './solution-cache';
export type { SolutionCacheOptions, SolutionStatus } from './solution-cache';
export { anyOf, fromHeader, fromPathParam, fromSubdomain } from './resolvers';
export type { SolutionResolver } from './resolvers';
export { DEFAULT_STATUSES, defaultRejectionResponse } from './rejection';
export type { Rejection, RejectionCode, RejectionResponse } from './rejection';
export type { RequestInfo } from './request-info';
