import 'reflect-metadata';
import { shutdown } from './postgres';

/** Root hooks: after the whole run, drop leftover test databases and stop the embedded server. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await shutdown();
  },
};
