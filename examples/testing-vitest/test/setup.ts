// Per test file (vitest runs setup files in each file's context): the worker's own test databases,
// cloned from the templates (suffixed with VITEST_POOL_ID), and one isolation per test.
import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestHooks } from '@fbs/testing';
import { testConfig } from './config';

export const testing = createTestHooks(testConfig);

beforeAll(() => testing.setup().then(() => undefined), 120_000);
beforeEach((context) => testing.begin(`${context.task.file?.name ?? ''} > ${context.task.name}`).then(() => undefined));
afterEach(() => testing.end());
afterAll(() => testing.teardown(), 120_000);
