import type { SolutionRecord } from './catalogue';

/**
 * A solution as `create()`, `info()` and `records()` return it: its catalogue entry.
 *
 * @example
 * ```ts
 * const info: SolutionInfo = await solutions.create('acme_corp'); // { name, state: 'ready', databases, servers, createdAt }
 * ```
 */
export type SolutionInfo = SolutionRecord;
