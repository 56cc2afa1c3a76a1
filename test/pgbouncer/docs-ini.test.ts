import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { createProject, defineApp } from '@fbs/core';
import { Migrator } from '@fbs/migrate';
import { startPgBouncer } from '../harness/pgbouncer';
import { pooledSuite, startPooledServer, type PooledServer } from './fixtures';

const DOC = path.join(__dirname, '../../docs/pgbouncer.md');
/** Settings the harness owns (a free loopback port, trust auth, files in its temp dir). */
const HARNESS = new Set(['listen_addr', 'listen_port', 'auth_type', 'auth_file', 'unix_socket_dir', 'logfile', 'pidfile']);

/** The `[databases]` entries and `[pgbouncer]` settings of the ini block of docs/pgbouncer.md. */
function documentedIni(): { databases: Record<string, string>; settings: Record<string, string> } {
  const block = /```ini\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'))?.[1];
  if (!block) throw new Error('docs/pgbouncer.md has no ```ini block');
  const sections: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of block.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1]!;
    else {
      const [key, ...value] = line.split('=');
      (sections[section] ??= {})[key!.trim()] = value.join('=').trim();
    }
  }
  return { databases: sections.databases ?? {}, settings: sections.pgbouncer ?? {} };
}

describe(pooledSuite('pgbouncer: the documented pgbouncer.ini'), function () {
  this.timeout(120_000);
  let server: PooledServer;
  before(async function () {
    server = await startPooledServer(this);
  });
  after(() => server?.stop());

  it('runs routed queries, a transaction and the migrator (with migrationUrl) through PgBouncer configured as documented', async () => {
    const { databases, settings } = documentedIni();
    expect(databases['*'], 'a wildcard [databases] entry').to.match(/^host=\S+ port=\d+$/);
    expect(settings.pool_mode).to.equal('transaction');
    const bouncer = await startPgBouncer({ server: server.cluster, settings: Object.fromEntries(Object.entries(settings).filter(([k]) => !HARNESS.has(k))) });
    const db = await server.createDatabase('pgb_docs');
    const project = createProject({
      databases: { default: { url: bouncer.url(db), migrationUrl: server.cluster.url(db), dialectOptions: { clientMinMessages: 'ignore' } } },
      apps: [
        defineApp({
          label: 'notes',
          migrations: [
            { name: '0001_initial', up: ({ sequelize, transaction }) => sequelize.query('CREATE TABLE notes_note (id serial PRIMARY KEY, body text)', { transaction }) },
            // Outside a transaction, on its fenced session: on migrationUrl too.
            { name: '0002_index', transaction: false, up: ({ sequelize }) => sequelize.query('CREATE INDEX CONCURRENTLY notes_note_body ON notes_note (body)') },
          ],
        }),
      ],
    });
    try {
      const report = await new Migrator(project).up();
      expect(report.failed).to.equal(0);
      const sequelize = project.connection('default');
      await project.transaction('default', async () => {
        await sequelize.query("SET LOCAL statement_timeout = '5s'");
        await sequelize.query("INSERT INTO notes_note (body) VALUES ('through the documented pooler')");
      });
      expect(await sequelize.query('SELECT body FROM notes_note', { type: QueryTypes.SELECT })).to.deep.equal([{ body: 'through the documented pooler' }]);
      expect(await server.direct(db, 'SELECT name FROM fbs_migrations ORDER BY name')).to.deep.equal([{ name: 'notes/0001_initial' }, { name: 'notes/0002_index' }]);
      expect(await server.direct(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'notes_note_body'")).to.have.length(1);
      const config = await bouncer.admin<{ key: string; value: string }>('SHOW CONFIG');
      expect(config.find((c) => c.key === 'pool_mode')?.value).to.equal('transaction');
      expect(config.find((c) => c.key === 'max_user_connections')?.value).to.equal(settings.max_user_connections);
    } finally {
      await project.close();
      await bouncer.stop();
    }
  });
});
