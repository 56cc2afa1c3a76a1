import { describeFbsOverHttp } from '../../fbs/test/http-scenario';
import { createApp } from '../src/app';

// examples/http-fastify: the FBS platform behind @fbs/http/fastify (docs/integrations.md).
describeFbsOverHttp('examples/http-fastify: FBS over HTTP with Fastify, one solution per request', 'fbsfst', 'FST', async (platform) => {
  const app = createApp(platform);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base, close: () => app.close() };
});
