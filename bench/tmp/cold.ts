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
    const repo = project.repository(`a${i}`, M);
    const t2 = process.hrtime.bigint();
    await seq.query('SELECT 1');
    const t3 = process.hrtime.bigint();
    await seq.query('SELECT 1');
    const t4 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(2);
    console.log(`new ${ms(t0, t1)} register ${ms(t1, t2)} first query ${ms(t2, t3)} second ${ms(t3, t4)}`);
  }
  await project.close();
})();
