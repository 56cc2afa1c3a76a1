// Once per run, before the workers: migrate the templates. After the run: drop them.
import { dropTestTemplates, prepareTestTemplates } from '@fbs/testing';
import { testConfig } from './config';

export async function setup(): Promise<void> {
  await prepareTestTemplates(testConfig);
}

export async function teardown(): Promise<void> {
  await dropTestTemplates(testConfig);
}
