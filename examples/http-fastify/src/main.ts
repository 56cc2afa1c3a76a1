// `pnpm --filter fbs-example-http-fastify start`: the FBS platform (DB_* and LIC_DB_* from the
// environment, system databases migrated with `fbs-migrate`) served on PORT (default 3000).
import { createFbsPlatform } from '../../fbs/src';
import { createApp } from './app';

const fbs = createFbsPlatform();
const app = createApp(fbs);
const port = Number(process.env.PORT ?? 3000);
app.listen({ port, host: '127.0.0.1' }).then(
  () => process.stdout.write(`FBS over HTTP (Fastify) on http://127.0.0.1:${port} (try GET /api/<solution>/products)\n`),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
process.once('SIGINT', () => void app.close().then(() => fbs.close()));
