import 'reflect-metadata';
import chai from 'chai';
import chaiAsPromised from 'chai-as-promised';

chai.use(chaiAsPromised);
import { shutdown } from './postgres';

/** Root hooks: after the whole run, drop leftover test databases and stop the embedded server. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await shutdown();
  },
};
