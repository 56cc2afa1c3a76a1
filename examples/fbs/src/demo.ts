/**
 * The FBS demo: `pnpm --filter fbs-example demo`. Starts (or finds) PostgreSQL, runs the seed's
 * migration phases, creates three solutions, writes sample data through the routed API, then shows
 * from direct SQL where every model's rows are, the license checks, and what the SDK refuses.
 */
import 'reflect-metadata';
import path from 'node:path';
import { databasesFromEnv } from '@fbs/core';
import pc from 'picocolors';
import { takeCensus } from './demo/database-census';
import { ensureDatabase } from './demo/ensure-database';
import { tryPitfalls } from './demo/refusals';
import { DEMO_SOLUTIONS, writeSolutionData, writeSystemData, type DemoSolution } from './demo/sample-data';
import { demoServer } from './demo/server';
import { createSolutions } from './demo/solutions';
import { renderTable, wrap } from './demo/table';
import { placeOrder } from './place-order';
import { createFbsPlatform } from './platform';
import { SOLUTION_DATABASES } from './solution-databases';

/** Where the embedded server keeps its data between runs (git-ignored); `FBS_DEMO_DATA_DIR` overrides it. */
const DATA_DIR = path.resolve(process.env.FBS_DEMO_DATA_DIR ?? path.join(__dirname, '..', '.data', 'postgres'));
const out = (text = '') => process.stdout.write(`${text}\n`);
const heading = (text: string) => out(`\n${pc.bold(pc.cyan(text))}`);

async function main(): Promise<void> {
  const started = Date.now();
  out(pc.bold('FBS multi-database platform on the @fbs SDK'));
  const server = await demoServer(process.env, DATA_DIR);
  const databases = databasesFromEnv({ env: server.env });
  const fbs = createFbsPlatform({ databases, solutions: { templates: server.env.FBS_SOLUTION_TEMPLATES !== 'off' } });
  const { project, migrator, solutions, licenses } = fbs;
  try {
    out(`PostgreSQL: ${server.description}`);

    heading('Migrations (the seed\'s Phase 1–3)');
    const phases: string[][] = [];
    for (const [phase, alias] of [['1  licensing database', 'licensing'], ['2  system database', 'default']] as const) {
      const created = await ensureDatabase(project, alias);
      const report = await migrator.up({ databases: [alias] });
      const run = report.databases[0]!;
      if (run.error) throw run.error;
      const applied = run.applied.length ? `migrated: ${run.applied.join(', ')}` : 'existed (at head)';
      phases.push([phase, project.connections.config(alias).database, created ? `created, ${applied}` : applied]);
    }
    const names = Object.keys(DEMO_SOLUTIONS) as DemoSolution[];
    for (const solution of await createSolutions(solutions, names)) {
      phases.push([`3  solution ${solution.solution}`, solution.databases.join('\n'), solution.how.join('\n')]);
    }
    out(renderTable(['phase', 'database', 'this run'], phases));

    // Sample data through the routed API: no call below names a database.
    await writeSystemData(project, names);
    await Promise.all(names.map((name) => solutions.withSolution(name, () => writeSolutionData(project, name))));
    for (const name of names) await licenses.grant(name, DEMO_SOLUTIONS[name].tier);
    await licenses.recordUsage('acme_corp', 'api_calls', 3);
    await licenses.recordUsage('tech_startup', 'api_calls', 1);

    heading('One request: POST /api/acme_corp/orders (placeOrder, src/place-order.ts)');
    const request = await placeOrder(fbs, 'acme_corp', { number: 'WEB-0001', customer: 'Wile E. Coyote', lines: [{ sku: 'SKU-002', quantity: 5 }] });
    out(renderTable(['step', 'model', 'database'], request.steps.map((s) => [s.step, s.model, s.database])));
    if (request.replayed) out(pc.dim('WEB-0001 exists from an earlier run: the request is a replay and writes nothing.'));

    heading('Where the rows are (direct SQL on each database, not through the SDK)');
    const aliases = ['default', 'licensing', ...names.flatMap((n) => [SOLUTION_DATABASES.app(n), SOLUTION_DATABASES.erp(n)])];
    const census = await takeCensus(project, aliases);
    const rows = project.apps.models().map((meta) => {
      const holders = census.filter((c) => c.models.has(meta.label));
      return [meta.label, holders.map((c) => c.database).join('\n'), holders.map((c) => String(c.models.get(meta.label))).join('\n')];
    });
    out(renderTable(['model', 'database (tables exist only here)', 'rows'], rows));
    out(renderTable(['database', 'alias', 'apps migrated here (history)', 'model tables', 'rows'], census.map((c) => [
      c.database, c.alias, [...new Set(c.history.map((h) => h.split('/')[0]))].join(', '), String(c.models.size),
      String([...c.models.values()].reduce((a, b) => a + b, 0)),
    ])));
    out(pc.dim('Besides model tables: each database keeps its own fbs_migrations history; fbs_system_db also holds the solution catalogue (fbs_solutions).'));

    heading('Licensing (lic_system_db, through LicenseManager)');
    const licenseRows: string[][] = [];
    for (const name of names) {
      const license = (await licenses.license(name))!;
      const usage = await licenses.checkLimit(name, 'api_calls');
      licenseRows.push([
        name, license.tier, (await licenses.isFeatureEnabled(name, 'inventory')) ? pc.green('yes') : pc.red('no'),
        `${usage.used} of ${usage.limit ?? 'unlimited'} (${usage.period})`,
      ]);
    }
    out(renderTable(['solution', 'tier', 'inventory enabled?', 'api_calls used this month'], licenseRows));

    heading('What the SDK refuses');
    for (const { attempt, error } of await tryPitfalls(project, databases, licenses)) {
      if (!error) throw new Error(`Expected a refusal, but it went through: ${attempt}`);
      out(`  ${pc.red('✗')} ${attempt}\n    → ${pc.bold(error.name)}${'code' in error ? ` (${String(error.code)})` : ''}:\n${wrap(error.message, 100, '      ')}`);
    }

    out(`\n${pc.green('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s. Run it again: it is idempotent (api_calls usage keeps counting).`);
  } finally {
    await fbs.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${pc.red('Demo failed:')} ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  process.exitCode = 1;
});
