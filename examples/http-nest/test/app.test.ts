import type { AddressInfo } from 'node:net';
import { describeFbsOverHttp } from '../../fbs/test/http-scenario';
import { createApp } from '../src/app';

// examples/http-nest: the FBS platform behind @fbs/http/nest (docs/integrations.md).
describeFbsOverHttp('examples/http-nest: FBS over HTTP with NestJS, one solution per request', 'fbsnst', 'NST', async (platform) => {
  const app = await createApp(platform);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return { base, close: () => app.close() };
});
