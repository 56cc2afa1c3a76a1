// `pnpm --filter fbs-example-http-nest start`: the FBS platform (DB_* and LIC_DB_* from the
// environment, system databases migrated with `fbs-migrate`) served on PORT (default 3000).
import { createFbsPlatform } from '../../fbs/src';
import { createApp } from './app';

async function main(): Promise<void> {
  const fbs = createFbsPlatform();
  const app = await createApp(fbs);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  process.stdout.write(`FBS over HTTP (NestJS) on http://127.0.0.1:${port} (try GET /api/<solution>/products)\n`);
  process.once('SIGINT', () => void app.close().then(() => fbs.close()));
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
