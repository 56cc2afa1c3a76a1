/**
 * Routing overhead, in one run against one PostgreSQL database:
 * - routed `findByPk`, `create` and a belongsToMany-include `findAll` vs the same calls on a plain
 *   sequelize-typescript repository of the same tables (interleaved, op by op; median of rounds);
 * - routed `findByPk` inside `withSolution` vs raw inside the same AsyncLocalStorage scope;
 * - the CPU time the routed path adds per call (process.cpuUsage over separate loops), which a
 *   1 % wall-clock target cannot resolve on its own;
 * - one routing decision through a chain of 3 routers, repository lookup included;
 * - the first query on a never-used alias of a project with 50 registered models, connection
 *   included, with 500 other aliases open.
 */
import 'reflect-metadata';
import { BelongsToMany, Column, DataType, ForeignKey, Model, Sequelize, Table } from 'sequelize-typescript';
import { AppLabelRouter, createProject, defineApp, HintRouter } from '@fbs/core';
import { createDatabases, shutdown, testServer } from '../test/harness/postgres';
import { fakePg } from './_fake-pg';
import { generatedApps } from './_models';
import { median, result, runBench } from './_stats';

@Table({ tableName: 'bench_item', timestamps: false })
class Item extends Model {
  @Column(DataType.STRING) declare name: string;
  @Column(DataType.INTEGER) declare qty: number;
}
@Table({ tableName: 'bench_book', timestamps: false })
class Book extends Model {
  @Column(DataType.STRING) declare title: string;
  @BelongsToMany(() => Writer, () => BookWriter) declare writers?: Writer[];
}
@Table({ tableName: 'bench_writer', timestamps: false })
class Writer extends Model {
  @Column(DataType.STRING) declare name: string;
}
@Table({ tableName: 'bench_book_writer', timestamps: false })
class BookWriter extends Model {
  @ForeignKey(() => Book) @Column(DataType.INTEGER) declare bookId: number;
  @ForeignKey(() => Writer) @Column(DataType.INTEGER) declare writerId: number;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const OPS = Number(process.env.BENCH_OPS ?? 1200);

/** One interleaved round. */
interface Round {
  /** Median routed op time / median raw op time (medians resist GC pauses and scheduler hiccups). */
  readonly ratio: number;
  /** Mean CPU µs per call the routed path used beyond the raw one. */
  readonly cpuDelta: number;
}

/** Runs `routed` and `raw` alternately, op by op (ABBA order), timing wall clock and this process's CPU for each op. */
async function interleaved(routed: (i: number) => Promise<unknown>, raw: (i: number) => Promise<unknown>, n: number): Promise<Round> {
  const wall: [number[], number[]] = [[], []];
  const cpu = [0, 0];
  for (let i = 0; i < n; i++) {
    for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      await (which === 0 ? routed(i) : raw(i));
      wall[which]!.push(Number(process.hrtime.bigint() - start));
      const used = process.cpuUsage(cpuStart);
      cpu[which]! += used.user + used.system;
    }
  }
  return { ratio: median(wall[0]) / median(wall[1]), cpuDelta: (cpu[0]! - cpu[1]!) / n };
}

/**
 * Client-side time per call with the database answered instantly by a fake pg module (Sequelize's
 * `dialectModule`): what the routed path itself costs, outside any scope and inside `withSolution`.
 */
async function fakeDriver(url: string): Promise<Record<string, { raw: number; routed: number }>> {
  const options = { url, pool: { max: 2, min: 1 }, dialectModule: fakePg, databaseVersion: '15.0.0' };
  const project = createProject({
    databases: { default: options, licensing: options },
    routers: [new AppLabelRouter({ other_app: 'licensing' }), new HintRouter({ apps: ['other_app'] }), new AppLabelRouter({ bench: 'default' })],
    apps: [defineApp({ label: 'bench', models: [Item, Book, Writer, BookWriter] })],
  });
  const raw = new Sequelize({ ...project.connections.config('default'), logging: false, repositoryMode: true, models: [Item, Book, Writer, BookWriter] } as any);
  const [rawItems, rawBooks, rawWriters] = [raw.getRepository(Item), raw.getRepository(Book), raw.getRepository(Writer)];
  const [items, books] = [project.model(Item), project.model(Book)];
  const pairs: Record<string, [(i: number) => Promise<unknown>, (i: number) => Promise<unknown>]> = {
    findByPk: [(i) => rawItems.findByPk(1 + (i % 5)), (i) => items.findByPk(1 + (i % 5))],
    create: [(i) => rawItems.create({ name: 'c', qty: i }), (i) => items.create({ name: 'c', qty: i })],
    include: [() => rawBooks.findAll({ where: { id: 1 }, include: [rawWriters] }), () => books.findAll({ where: { id: 1 }, include: [Writer] })],
    scoped: [(i) => project.withSolution('acme_corp', () => rawItems.findByPk(1 + (i % 5))), (i) => project.withSolution('acme_corp', () => items.findByPk(1 + (i % 5)))],
  };
  const out: Record<string, { raw: number; routed: number }> = {};
  for (const [name, [rawFn, routedFn]] of Object.entries(pairs)) {
    await interleaved(routedFn, rawFn, 3000);
    const ratios: number[] = [];
    const rawTimes: number[] = [];
    for (let round = 0; round < 7; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 500; i++) await rawFn(i);
      rawTimes.push(Number(process.hrtime.bigint() - start) / 1e3 / 500);
      ratios.push((await interleaved(routedFn, rawFn, 3000)).ratio);
    }
    const raw = median(rawTimes);
    out[name] = { raw, routed: raw * median(ratios) };
  }
  await raw.close();
  await project.close();
  return out;
}

async function coldOpen(url: string): Promise<{ alone: number; with500: number }> {
  const apps = generatedApps(50, 10);
  const model = apps[0]!.models[0]!;
  const databases: Record<string, string> = {};
  for (let i = 0; i < 540; i++) databases[`s${i}`] = url;
  const project = createProject({ databases, apps });
  await project.connection('s0').sync();
  const first = async (alias: string) => {
    const start = process.hrtime.bigint();
    await project.repository(alias, model).findByPk(1);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const alone: number[] = [];
  for (let i = 1; i <= 20; i++) alone.push(await first(`s${i}`));
  await project.close();
  for (let i = 21; i < 521; i++) project.repository(`s${i}`, model); // 500 aliases open: instances and repositories, no connection
  const crowded: number[] = [];
  for (let i = 521; i < 540; i++) crowded.push(await first(`s${i}`));
  const open = project.connections.openAliases().length;
  await project.close();
  process.stdout.write(`cold first query (ms), alone: ${alone.map((v) => v.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`cold first query (ms), ${open - crowded.length} aliases open: ${crowded.map((v) => v.toFixed(2)).join(' ')}\n`);
  return { alone: median(alone), with500: median(crowded) };
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
    apps: [defineApp({ label: 'bench', models: [Item, Book, Writer, BookWriter] })],
  });
  const raw = new Sequelize({ ...project.connections.config('default'), logging: false, repositoryMode: true, models: [Item, Book, Writer, BookWriter] } as any);
  const [rawItems, rawBooks, rawWriters] = [raw.getRepository(Item), raw.getRepository(Book), raw.getRepository(Writer)];
  await raw.sync({ force: true });
  const [items, books] = [project.model(Item), project.model(Book)];
  const ids = (await rawItems.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ name: `n${i}`, qty: i })))).map((s) => s.id as number);
  const writers = await rawWriters.bulkCreate(Array.from({ length: 30 }, (_, i) => ({ name: `w${i}` })));
  const bookIds: number[] = [];
  for (let i = 0; i < 20; i++) {
    const book = await rawBooks.create({ title: `b${i}` });
    await book.$add('writers', writers.slice(i % 10, (i % 10) + 3));
    bookIds.push(book.id as number);
  }
  const include = (i: number) => ({ where: { id: bookIds[i % 20]! }, include: [Writer] });
  const rawInclude = (i: number) => ({ where: { id: bookIds[i % 20]! }, include: [rawWriters] });
  // Warm up both paths (connections, JIT).
  for (let i = 0; i < 300; i++) {
    await items.findByPk(ids[i % 100]!);
    await rawItems.findByPk(ids[i % 100]!);
    await books.findAll(include(i));
    await rawBooks.findAll(rawInclude(i));
  }

  const find: Round[] = [];
  const create: Round[] = [];
  const includes: Round[] = [];
  const scoped: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    find.push(await interleaved((i) => items.findByPk(ids[i % 100]!), (i) => rawItems.findByPk(ids[i % 100]!), OPS));
    create.push(await interleaved((i) => items.create({ name: `r${i}`, qty: i }), (i) => rawItems.create({ name: `w${i}`, qty: i }), OPS / 2));
    includes.push(await interleaved((i) => books.findAll(include(i)), (i) => rawBooks.findAll(rawInclude(i)), OPS / 2));
    scoped.push(await project.withSolution('acme_corp', () => interleaved((i) => items.findByPk(ids[i % 100]!), (i) => rawItems.findByPk(ids[i % 100]!), OPS)));
  }

  // One routing decision + repository lookup, through the chain of 3 routers.
  const N = 2_000_000;
  const decisions: number[] = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += items.repository('read') === rawItems ? 1 : 0;
    decisions.push(Number(process.hrtime.bigint() - start) / N);
  }
  if (sink !== 0) throw new Error('repository lookup returned the raw repository');
  await raw.close();
  await project.close();
  const fake = await fakeDriver(url);
  const cold = await coldOpen(url);

  const spread = (v: number[], d = 3) => `${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}`;
  const line = (label: string, rounds: Round[]) => {
    const ratios = rounds.map((r) => r.ratio);
    const cpu = rounds.map((r) => r.cpuDelta);
    process.stdout.write(`${label.padEnd(26)} ratio per round ${ratios.map((r) => r.toFixed(3)).join(' ')} (median ${median(ratios).toFixed(3)}, ${spread(ratios)}); CPU added per call ${median(cpu).toFixed(2)} µs (${spread(cpu, 2)})\n`);
    return median(ratios);
  };
  const f = line('findByPk', find);
  const c = line('create', create);
  const inc = line('findAll + belongsToMany', includes);
  const s = line('findByPk in withSolution', scoped);
  const d = median(decisions);
  process.stdout.write(`fake driver (client-side JavaScript only, µs per call): ${Object.entries(fake).map(([k, v]) => `${k} raw ${v.raw.toFixed(1)} routed ${v.routed.toFixed(1)} (+${(v.routed - v.raw).toFixed(2)}, ×${(v.routed / v.raw).toFixed(3)})`).join('; ')}\n`);
  process.stdout.write(`routing decision (ns) per round: ${decisions.map((x) => x.toFixed(1)).join(' ')} (${spread(decisions, 1)})\n`);
  await shutdown();
  result('routing', 'findByPk_ratio', f, '<=1.01', f <= 1.01);
  result('routing', 'create_ratio', c, '<=1.01', c <= 1.01);
  result('routing', 'include_ratio', inc, '<=1.01', inc <= 1.01);
  result('routing', 'scoped_ratio', s, '<=1.01', s <= 1.01);
  result('routing', 'decision_ns', d, '<=50', d <= 50, 1);
  result('routing', 'cold_open_ms', cold.with500, '<=8', cold.with500 <= 8, 2);
}

runBench(main);
