import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { queryDatabase } from '../harness/postgres';
import { defineApp, history, makeProject, tables } from './helpers';

/** The ```ts blocks of docs/migrations.md whose first line is `// migrations/<file>`. */
async function migrationExamples(): Promise<{ file: string; code: string }[]> {
  const doc = await readFile(path.resolve(__dirname, '../../docs/migrations.md'), 'utf8');
  return [...doc.matchAll(/```ts\n\/\/ migrations\/(\S+)\n([\s\S]*?)```/g)].map((m) => ({ file: m[1]!, code: m[2]! }));
}

describe('docs/migrations.md examples', () => {
  it('the example migration files run as written (up, then down)', async () => {
    const examples = await migrationExamples();
    expect(examples.map((e) => e.file)).to.deep.equal(['0001_initial.ts', '0002_license_name_index.ts']);
    const folder = await mkdtemp(path.join(tmpdir(), 'fbs-doc-migrations-'));
    for (const { file, code } of examples) await writeFile(path.join(folder, file), code);
    const t = await makeProject(['licensing'], [defineApp({ label: 'fbs_license_manager', migrations: folder })], { routers: [] });
    try {
      const report = await t.migrator.up();
      expect(report.failed, String(report.databases[0]!.error)).to.equal(0);
      expect(await history(t.names.licensing!)).to.deep.equal(['fbs_license_manager/0001_initial', 'fbs_license_manager/0002_license_name_index']);
      const indexes = await queryDatabase(t.names.licensing!, "SELECT indexname FROM pg_indexes WHERE tablename = 'fbs_license_manager_solution_license' ORDER BY 1");
      expect(indexes.map((r) => r.indexname)).to.include('fbs_license_manager_license_name');
      expect((await t.migrator.down({ to: 0 })).failed).to.equal(0);
      expect(await tables(t.names.licensing!)).to.deep.equal(['fbs_migrations']);
    } finally {
      await t.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
