/**
 * Routing overhead, in one run against one PostgreSQL database:
 * - routed `findByPk` / `create` vs the same calls on a plain sequelize-typescript repository of
 *   the same table (interleaved rounds, median per round; target ratio ≤ 1.02);
 * - one routing decision through a chain of 3 routers, repository lookup included (target ≤ 100 ns).
 */
import 'reflect-metadata';
import { Column, DataType, Model, Sequelize, Table } from 'sequelize-typescript';
import { AppLabelRouter, createProject, defineApp, HintRouter } from '@fbs/core';
import { createDatabases, shutdown, testServer } from '../test/harness/postgres';
import { median, result, runBench } from './_stats';

@Table({ tableName: 'bench_item', timestamps: false })
class Item extends Model {
  @Column(DataType.STRING) declare name: string;
  @Column(DataType.INTEGER) declare qty: number;
}

const ROUNDS = 11;
const OPS = 1500;

/** Runs `routed` and `raw` alternately, op by op (ABBA order), and returns total routed time / total raw time. */
async function interleaved(routed: (i: number) => Promise<unknown>, raw: (i: number) => Promise<unknown>, n: number): Promise<number> {
  let a = 0n;
  let b = 0n;
  for (let i = 0; i < n; i++) {
    const first = i % 2 === 0;
    for (const which of first ? [0, 1] : [1, 0]) {
      const start = process.hrtime.bigint();
      await (which === 0 ? routed(i) : raw(i));
      const took = process.hrtime.bigint() - start;
      if (which === 0) a += took;
      else b += took;
    }
  }
  return Number(a) / Number(b);
}

async function main(): Promise<void> {
  const server = await testServer();
  const [name] = await createDatabases(1, 'bench_routing');
  const url = server.url(name!);
  const pool = { max: 2, min: 1 };
  const project = createProject({
    databases: { default: { url, pool }, licensing: { url, pool } },
    // Three routers; the first two have no opinion on this app, the third answers.
    routers: [new AppLabelRouter({ other_app: 'licensing' }), new HintRouter({ apps: ['other_app'] }), new AppLabelRouter({ bench: 'default' })],
    apps: [defineApp({ label: 'bench', models: [Item] })],
  });
  const raw = new Sequelize({ ...project.connections.config('default'), logging: false, repositoryMode: true, models: [Item] } as any);
  const rawItems = raw.getRepository(Item);
  await rawItems.sync({ force: true });
  const routed = project.model(Item);
  const seed = await rawItems.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ name: `n${i}`, qty: i })));
  const ids = seed.map((s) => s.id as number);
  // Warm up both paths (connections, JIT).
  for (let i = 0; i < 300; i++) {
    await routed.findByPk(ids[i % 100]!);
    await rawItems.findByPk(ids[i % 100]!);
  }

  const find: number[] = [];
  const create: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    find.push(await interleaved((i) => routed.findByPk(ids[i % 100]!), (i) => rawItems.findByPk(ids[i % 100]!), OPS));
    create.push(await interleaved((i) => routed.create({ name: `r${i}`, qty: i }), (i) => rawItems.create({ name: `w${i}`, qty: i }), OPS / 2));
  }

  // One routing decision + repository lookup, through the chain of 3 routers.
  const N = 2_000_000;
  const decisions: number[] = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += routed.repository('read') === rawItems ? 1 : 0;
    decisions.push(Number(process.hrtime.bigint() - start) / N);
  }
  if (sink !== 0) throw new Error('repository lookup returned the raw repository');

  const findRatio = median(find);
  const createRatio = median(create);
  const decision = median(decisions);
  process.stdout.write(`findByPk routed/raw per round: ${find.map((r) => r.toFixed(3)).join(' ')}\n`);
  process.stdout.write(`create routed/raw per round:   ${create.map((r) => r.toFixed(3)).join(' ')}\n`);
  process.stdout.write(`routing decision (ns) per round: ${decisions.map((d) => d.toFixed(1)).join(' ')}\n`);
  await raw.close();
  await project.close();
  await shutdown();
  result('routing', 'findByPk_ratio', findRatio, '<=1.02', findRatio <= 1.02);
  result('routing', 'create_ratio', createRatio, '<=1.02', createRatio <= 1.02);
  result('routing', 'decision_ns', decision, '<=100', decision <= 100, 1);
}

runBench(main);
