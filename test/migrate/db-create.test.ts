import path from 'node:path';
import { expect } from 'chai';
import { ConfigurationError, createProject } from '@fbs/core';
import { createMissingDatabases } from '@fbs/migrate';
import { adminQuery, dropDatabases, testServer, uniqueDatabaseName } from '../harness/postgres';
import { runInProcess } from './cli-harness';
import { history } from './helpers';

const CWD = path.join(__dirname, 'fixtures/seeds-cli');
const SECRET = 's3cret-admin-pw';

async function exists(name: string): Promise<boolean> {
  return (await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length > 0;
}

describe('db create: the configured databases that are missing', function () {
  this.timeout(120_000); // CREATE DATABASE is slow on a busy server
  let url: (database: string, user?: string) => string;
  before(async () => {
    const server = await testServer();
    // The test server trusts local connections: the password is ignored there, and must never be shown.
    url = (database, user = server.user) => `postgres://${user}:${SECRET}@${server.host}:${server.port}/${database}`;
  });

  it('creates only the missing ones, and a second run finds them all', async () => {
    const [a, b, c] = [uniqueDatabaseName('seed'), uniqueDatabaseName('seed'), uniqueDatabaseName('seed')];
    await adminQuery(`CREATE DATABASE "${c}"`);
    const project = createProject({ databases: { default: url(a!), licensing: url(b!), reports: url(c!) } });
    try {
      const report = await createMissingDatabases(project);
      expect(report).to.deep.equal({
        failed: 0,
        databases: [
          { alias: 'default', database: a, outcome: 'created' },
          { alias: 'licensing', database: b, outcome: 'created' },
          { alias: 'reports', database: c, outcome: 'exists' },
        ],
      });
      expect(await exists(a!)).to.equal(true);
      expect(await exists(b!)).to.equal(true);
      const again = await createMissingDatabases(project, { databases: ['licensing'] });
      expect(again.databases).to.deep.equal([{ alias: 'licensing', database: b, outcome: 'exists' }]);
    } finally {
      await project.close();
      await dropDatabases([a!, b!, c!]);
    }
  });

  it('refuses names it cannot create as configured, before any SQL, listing each', async () => {
    const good = uniqueDatabaseName('seed');
    const long = `seed_${'x'.repeat(70)}`;
    const project = createProject({ databases: { default: url(good), licensing: url(long), reports: { dialect: 'postgres', host: '127.0.0.1', database: 'template1' } } });
    try {
      const attempt = createMissingDatabases(project);
      await expect(attempt).to.be.rejectedWith(ConfigurationError, /nothing was created/);
      const message = ((await attempt.catch((e: Error) => e)) as Error).message;
      expect(message).to.contain(`alias 'licensing' names database "${long}"`).and.contain("63-byte limit");
      expect(message).to.contain(`alias 'reports' names database "template1"`);
      expect(message).not.to.contain(SECRET);
      expect(await exists(good)).to.equal(false);
    } finally {
      await project.close();
    }
  });

  it('refuses a dialect it cannot create databases for, naming the alias, before any SQL', async () => {
    const good = uniqueDatabaseName('seed');
    const project = createProject({ databases: { default: url(good), reports: `mysql://root:${SECRET}@127.0.0.1:3306/seed_reports` } });
    try {
      const error = (await createMissingDatabases(project).catch((e: Error) => e)) as Error;
      expect(error).to.be.instanceOf(ConfigurationError);
      expect(error.message).to.contain("Database 'reports' uses dialect 'mysql'").and.not.contain(SECRET);
      expect(await exists(good)).to.equal(false);
    } finally {
      await project.close();
    }
  });

  it('creates the database owned by the alias\'s user when the admin connection is another role', async () => {
    const role = `seed_owner_${process.pid}`;
    const name = uniqueDatabaseName('seed');
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    await adminQuery(`CREATE ROLE ${role} LOGIN`);
    const project = createProject({ databases: { default: url(name, role) } });
    try {
      const report = await createMissingDatabases(project, { admin: url('postgres') });
      expect(report.databases[0]!.outcome).to.equal('created');
      const [row] = await adminQuery("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [name]);
      expect(row.owner).to.equal(role);
    } finally {
      await project.close();
      await dropDatabases([name]);
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('two processes creating at once: each database exists once, neither fails', async () => {
    const names = [uniqueDatabaseName('seed'), uniqueDatabaseName('seed'), uniqueDatabaseName('seed')];
    const databases = Object.fromEntries(names.map((n, i) => [`db${i}`, url(n)]));
    const [p1, p2] = [createProject({ databases }), createProject({ databases })];
    try {
      const [r1, r2] = await Promise.all([createMissingDatabases(p1), createMissingDatabases(p2)]);
      expect(r1.failed + r2.failed).to.equal(0);
      for (const [i, name] of names.entries()) {
        expect([r1.databases[i]!.outcome, r2.databases[i]!.outcome].sort()).to.deep.equal(['created', 'exists']);
        expect(await exists(name)).to.equal(true);
      }
    } finally {
      await Promise.all([p1.close(), p2.close()]);
      await dropDatabases(names);
    }
  });

  it('a server that is down fails its databases with an error naming the alias (no password); the others are created', async () => {
    const name = uniqueDatabaseName('seed');
    const project = createProject({ databases: { default: url(name), offline: `postgres://postgres:${SECRET}@127.0.0.1:1/seed_offline` } });
    try {
      const report = await createMissingDatabases(project);
      expect(report.failed).to.equal(1);
      expect(report.databases[0]).to.deep.equal({ alias: 'default', database: name, outcome: 'created' });
      const offline = report.databases[1]!;
      expect(offline.outcome).to.equal('failed');
      expect(offline.error!.message).to.contain("'offline'").and.contain('127.0.0.1:1');
      expect(offline.error!.message).not.to.contain(SECRET);
    } finally {
      await project.close();
      await dropDatabases([name]);
    }
  });

  describe('the CLI (in process)', () => {
    const env = (databases: Record<string, string>, extra: Record<string, string> = {}) => ({ FBS_TEST_DATABASES: JSON.stringify(databases), ...extra });

    it('db create --json: created / exists per database, exit 0; again: all exist', async () => {
      const [a, b] = [uniqueDatabaseName('seed'), uniqueDatabaseName('seed')];
      try {
        const first = await runInProcess(['db', 'create', '--json'], env({ default: url(a!), licensing: url(b!) }), { cwd: CWD });
        expect(first.code, first.stderr).to.equal(0);
        expect(JSON.parse(first.stdout).databases.map((d: any) => d.outcome)).to.deep.equal(['created', 'created']);
        const second = await runInProcess(['db', 'create', '--database', 'licensing'], env({ default: url(a!), licensing: url(b!) }), { cwd: CWD });
        expect(second.code).to.equal(0);
        expect(second.stdout).to.match(/licensing.*already exists/).and.contain('0 created, 1 already existed.');
        expect(second.stdout).not.to.contain(a!);
      } finally {
        await dropDatabases([a!, b!]);
      }
    });

    it('db prepare: creates and migrates; a second prepare is up to date', async () => {
      const [a, b] = [uniqueDatabaseName('seed'), uniqueDatabaseName('seed')];
      try {
        const first = await runInProcess(['db', 'prepare'], env({ default: url(a!), licensing: url(b!) }), { cwd: CWD });
        expect(first.code, first.stderr).to.equal(0);
        expect(first.stdout).to.match(/default.*created.*fbs_app\/0001_initial/).and.match(/licensing.*created.*fbs_license_manager\/0001_initial/);
        expect(await history(a!)).to.deep.equal(['fbs_app/0001_initial']);
        expect(await history(b!)).to.deep.equal(['fbs_license_manager/0001_initial']);
        const again = await runInProcess(['db', 'prepare', '--json'], env({ default: url(a!), licensing: url(b!) }), { cwd: CWD });
        const json = JSON.parse(again.stdout);
        expect(json.databases.map((d: any) => d.outcome)).to.deep.equal(['exists', 'exists']);
        expect(json.migrated.databases.flatMap((d: any) => d.applied)).to.deep.equal([]);
      } finally {
        await dropDatabases([a!, b!]);
      }
    });

    it('exit 2 for a bad name (nothing created), exit 1 for a server that is down; no password in the output', async () => {
      const good = uniqueDatabaseName('seed');
      const bad = await runInProcess(['db', 'create'], env({ default: url(good), licensing: url('bad;name') }), { cwd: CWD });
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.contain(`alias 'licensing' names database "bad;name"`).and.contain('nothing was created');
      expect(await exists(good)).to.equal(false);
      const down = await runInProcess(['db', 'create', '--json'], env({ default: `postgres://postgres:${SECRET}@127.0.0.1:1/seed_down` }), { cwd: CWD });
      expect(down.code).to.equal(1);
      expect(JSON.parse(down.stdout).databases[0].outcome).to.equal('failed');
      expect(down.stdout + down.stderr).not.to.contain(SECRET);
    });
  });
});
