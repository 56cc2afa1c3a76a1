/**
 * The parts of an HTTP request a solution can be read from, independent of the framework. Adapters
 * (`@fbs/http/express`, `@fbs/http/fastify`) build it from their own request objects.
 */
export interface RequestInfo {
  /** Header names in lower case (Node's `IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The path and query string, e.g. `/t/acme/orders?page=2`. */
  readonly url: string;
  /** Route parameters the framework matched (`/t/:solution` → `{ solution: 'acme' }`), if any. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The framework's own request object (for resolvers that read a JWT claim, a cookie, …). */
  readonly raw?: unknown;
}
