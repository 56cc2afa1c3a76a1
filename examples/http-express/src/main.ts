// `pnpm --filter fbs-example-http-express start`: the FBS platform (DB_* and LIC_DB_* from the
// environment, system databases migrated with `fbs-migrate`) served on PORT (default 3000).
import { createFbsPlatform } from '../../fbs/src';
import { createApp } from './app';

const fbs = createFbsPlatform();
const port = Number(process.env.PORT ?? 3000);
const server = createApp(fbs).listen(port, '127.0.0.1', () => {
  process.stdout.write(`FBS over HTTP on http://127.0.0.1:${port} (try GET /api/<solution>/products)\n`);
});
process.once('SIGINT', () => server.close(() => void fbs.close()));
