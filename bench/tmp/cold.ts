import 'reflect-metadata';
import { createProject } from '@fbs/core';
import { generatedApps } from '../_models';
(async () => {
  const apps = generatedApps(50, 10);
  const url = 'postgres://postgres@127.0.0.1:5432/postgres';
  const databases: Record<string, string> = {};
  for (let i = 0; i < 20; i++) databases[`a${i}`] = url;
  const project = createProject({ databases, apps });
  const M = apps[0]!.models[0]!;
  for (let i = 0; i < 20; i++) {
    const t0 = process.hrtime.bigint();
    const seq = project.connections.get(`a${i}`);
    const t1 = process.hrtime.bigint();
    await project.connection(`a${i}`).query('SELECT 1');
    const t2 = process.hrtime.bigint();
    console.log(`open ${(Number(t1 - t0) / 1e6).toFixed(2)} ms, first query ${(Number(t2 - t1) / 1e6).toFixed(2)} ms`);
  }
  await project.close();
})();
