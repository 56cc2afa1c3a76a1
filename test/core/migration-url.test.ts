import { expect } from 'chai';
import { ConfigurationError, createProject, migrationConfig, normalizeDatabaseConfig } from '@fbs/core';
import { queryDatabase, createDatabases, testServer } from '../harness/postgres';

describe('core: migrationUrl', function () {
  this.timeout(30_000);

  it('replaces host, port and database; keeps the alias password for the same user; the URL wins on libpq parameters', () => {
    const config = normalizeDatabaseConfig('default', {
      url: 'postgres://app:s3cret@pgbouncer:6432/app?application_name=web',
      migrationUrl: 'postgres://app@db:5432/app_direct?sslmode=disable',
      pool: { max: 7 },
    });
    const direct = migrationConfig('default', config);
    expect(direct).to.include({ host: 'db', port: 5432, database: 'app_direct', username: 'app', password: 's3cret' });
    expect(direct.dialectOptions).to.include({ application_name: 'web', ssl: false });
    expect(direct.pool).to.include({ max: 7 });
    expect((direct as { migrationUrl?: string }).migrationUrl).to.equal(undefined);
    const other = migrationConfig('default', normalizeDatabaseConfig('default', { url: 'postgres://app:s3cret@pgbouncer:6432/app', migrationUrl: 'postgres://owner:0wn@db/app' }));
    expect(other).to.include({ username: 'owner', password: '0wn', port: undefined });
    const noPassword = migrationConfig('default', normalizeDatabaseConfig('default', { url: 'postgres://app:s3cret@pgbouncer:6432/app', migrationUrl: 'postgres://owner@db/app' }));
    expect(noPassword.password).to.equal(undefined);
    const plain = normalizeDatabaseConfig('default', 'postgres://app@db/app');
    expect(migrationConfig('default', plain)).to.equal(plain);
  });

  it('a bad migrationUrl is refused when the config is read, naming the alias and the key, never the password', () => {
    const cases: Array<[unknown, RegExp]> = [
      [42, /Database 'default': migrationUrl must be a URL string .* got number/],
      ['', /migrationUrl must be a URL string .* got an empty string/],
      ['postgres://app:pa#ss@db/app', /Database 'default' \(migrationUrl\): the URL contains an unencoded '#'/],
      ['mysql://app@db/app', /migrationUrl is a mysql:\/\/ URL but the database is postgres/],
      ['postgres://app@db/app?sslmode=sometimes', /Database 'default' \(migrationUrl\): sslmode="sometimes" is not an SSL mode/],
    ];
    for (const [migrationUrl, message] of cases) {
      const error = (() => {
        try {
          createProject({ databases: { default: { url: 'postgres://app@pgbouncer:6432/app', migrationUrl } as any }, apps: [] });
        } catch (e) {
          return e as Error;
        }
        throw new Error(`accepted ${String(migrationUrl)}`);
      })();
      expect(error).to.be.instanceOf(ConfigurationError);
      expect(error.message).to.match(message);
      expect(error.message).not.to.contain('pa#ss');
    }
  });

  it('project.connection(alias, { migration: true }) opens its own pool on migrationUrl, closed with the alias', async () => {
    const server = await testServer();
    const [pooled, direct] = await createDatabases(2, 'pgbmu');
    const project = createProject({ databases: { default: { url: server.url(pooled!), migrationUrl: server.url(direct!) } }, apps: [] });
    try {
      const [[onMigration]] = (await project.connection('default', { migration: true }).query('SELECT current_database() AS db')) as [[{ db: string }], unknown];
      const [[onApp]] = (await project.connection('default').query('SELECT current_database() AS db')) as [[{ db: string }], unknown];
      expect([onMigration.db, onApp.db]).to.deep.equal([direct, pooled]);
      expect(project.connections.describeMigration('default')).to.match(new RegExp(`/${direct}$`));
      expect(project.connections.connectionCount('default')).to.equal(2);
      await project.connections.closeMigration('default');
      expect([project.connections.isMigrationOpen('default'), project.connections.isOpen('default')]).to.deep.equal([false, true]);
      expect(project.connections.connectionCount('default')).to.equal(1);
      await project.connection('default', { migration: true }).query('SELECT 1');
      await project.connections.closeOne('default');
      expect(project.connections.isOpen('default')).to.equal(false);
      expect(await queryDatabase(direct!, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [direct])).to.deep.equal([{ n: 0 }]);
    } finally {
      await project.close();
    }
  });
});
