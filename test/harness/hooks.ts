import 'reflect-metadata';
import chai from 'chai';
import chaiAsPromised from 'chai-as-promised';

chai.use(chaiAsPromised);
import { stopAllClusters } from './cluster';
import { stopAllPgBouncers } from './pgbouncer';
import { shutdown } from './postgres';

/** Root hooks: after the whole run, stop leftover PgBouncers and throwaway clusters, drop leftover test databases and stop the embedded server. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(180_000); // dropping many leftover databases on a busy server takes a while
    await stopAllPgBouncers();
    await stopAllClusters();
    await shutdown();
  },
};
