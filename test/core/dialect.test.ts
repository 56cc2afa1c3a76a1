import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigurationError, createProject, normalizeDatabaseConfig } from '@fbs/core';
import {
  SUPPORTED_DIALECTS, advisoryLockKey, describeLockHolder, dialectFor, runLockKey, type AdminSession, type DriverConnection, type ServerAdmin,
} from '@fbs/core/dialect';
import { startCluster, freePort, type ThrowawayCluster } from '../harness/cluster';
import { adminQuery, dropDatabases, queryDatabase, testServer, uniqueDatabaseName, type TestServer } from '../harness/postgres';

const dialect = dialectFor('postgres');
const { admin } = dialect;

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => expect.fail('expected a rejection'), (error: Error) => error);
}

/** Every category the classifier gives for a real server error, with what the server said. */
const category = async (promise: Promise<unknown>) => dialect.classifyError(await failure(promise));

describe('dialect module (@fbs/core/dialect): PostgreSQL against a real server', function () {
  this.timeout(60_000);
  let server: TestServer;
  let serverAdmin: ServerAdmin;
  const names: string[] = [];
  const fresh = () => {
    const name = uniqueDatabaseName('dialect');
    names.push(name);
    return name;
  };
  const session = <T>(fn: (s: AdminSession) => Promise<T>) => serverAdmin.session(fn);
  const connect = (database: string, extra: object = {}): Promise<DriverConnection> => dialect.connect('test', { ...config(database), ...extra });
  const config = (database: string) => normalizeDatabaseConfig('test', server.url(database));

  before(async () => {
    server = await testServer();
    serverAdmin = dialect.serverAdmin(config('postgres'), { applicationName: 'dialect-test' });
  });
  after(async () => {
    // Through the module itself: the harness's own clean-up does not quote hostile names.
    await serverAdmin.session(async (s) => {
      for (const name of names) if (Buffer.byteLength(name) <= 63) await admin.dropDatabase(s, name);
    });
    await serverAdmin.close();
    await serverAdmin.close(); // idempotent
    await dropDatabases(names.filter((n) => /^[a-z0-9_]+$/.test(n)));
  });

  describe('dialectFor', () => {
    it('returns the PostgreSQL dialect; an unknown dialect is an error naming it, where it was met and the supported ones', () => {
      expect(dialectFor('postgres').name).to.equal('postgres');
      expect(SUPPORTED_DIALECTS).to.deep.equal(['postgres']);
      expect(() => dialectFor('mysql', "Database 'reports'")).to.throw(ConfigurationError, /Database 'reports' uses dialect 'mysql'.*supported: postgres\./);
      expect(() => dialectFor('constructor')).to.throw(ConfigurationError, /Dialect 'constructor'/);
      expect(() => dialectFor('__proto__')).to.throw(ConfigurationError, /'__proto__'/);
    });
  });

  describe('quoting and identifier limits', () => {
    it('hostile names become databases of exactly that name, and literals round-trip whatever standard_conforming_strings is', async () => {
      const hostile = `${fresh()}"; DROP DATABASE postgres; --`;
      const unicode = `${fresh()}_bücher ☃`;
      names.push(hostile, unicode);
      await session(async (s) => {
        for (const name of [hostile, unicode]) await admin.createDatabase(s, name);
        expect([...(await admin.existingDatabases(s, [hostile, unicode, 'postgres']))].sort()).to.deep.equal(['postgres', hostile, unicode].sort());
        expect(await admin.dropDatabase(s, hostile)).to.equal(true);
      });
      const texts = [`it's`, `back\\slash' OR '1'='1`, `\\'; SELECT 1; --`, 'ünïcödé', ''];
      const connection = await connect('postgres');
      try {
        for (const conforming of ['on', 'off']) {
          await connection.query(`SET standard_conforming_strings = ${conforming}`);
          for (const text of texts) {
            const [row] = await connection.query(`SELECT ${dialect.quoteLiteral(text)} AS v, ${dialect.quoteIdentifier(text === '' ? 'x' : text)} AS probe FROM (SELECT 1 AS ${dialect.quoteIdentifier(text === '' ? 'x' : text)}) t`);
            expect(row.v, `${text} with standard_conforming_strings=${conforming}`).to.equal(text);
          }
        }
      } finally {
        await connection.close();
      }
      expect(() => dialect.quoteIdentifier('a\u0000b')).to.throw(ConfigurationError, /NUL/);
      expect(() => dialect.quoteIdentifier('')).to.throw(ConfigurationError);
      expect(() => dialect.quoteLiteral('a\u0000b')).to.throw(ConfigurationError, /NUL/);
    });

    it('a name over 63 bytes (UTF-8) is refused before any SQL, naming it and the limit; 63 bytes is fine', async () => {
      const base = fresh();
      const exact = base + 'x'.repeat(63 - base.length);
      const tooLong = exact + 'y';
      const multibyte = base + 'é'.repeat(Math.ceil((64 - base.length) / 2)); // fewer than 64 characters, more than 63 bytes
      names.push(exact, tooLong);
      expect(dialect.checkIdentifier(exact, 'Database name')).to.equal(exact);
      expect(dialect.maxIdentifierBytes).to.equal(63);
      for (const name of [tooLong, multibyte]) {
        const error = await failure(session((s) => admin.createDatabase(s, name)));
        expect(error).to.be.instanceOf(ConfigurationError);
        expect(error.message).to.include(`Database name '${name}' is ${Buffer.byteLength(name)} bytes long`).and.include('at most 63 bytes');
      }
      expect(await failure(session((s) => admin.createDatabase(s, exact, { template: tooLong })))).to.match(/Template database name .* at most 63 bytes/);
      expect(await failure(session((s) => admin.createLoginRole(s, 'r'.repeat(64), 'v', 'm')))).to.match(/Role name '.*' is 64 bytes long/);
      // Nothing was created, not even the truncation the server would have made.
      const found = await adminQuery("SELECT datname FROM pg_database WHERE datname LIKE $1 || '%'", [base]);
      expect(found).to.deep.equal([]);
      await session((s) => admin.createDatabase(s, exact));
      expect(await adminQuery('SELECT datname FROM pg_database WHERE datname = $1', [exact])).to.have.length(1);
    });
  });

  describe('locks (one key scheme: SHA-256 of the name, 62 bits)', () => {
    it('a lock held on one connection is refused on another until released; shared locks overlap, an exclusive one waits', async () => {
      const name = `dialect-test:${process.pid}:lock`;
      const other = await connect('postgres');
      const otherSession: AdminSession = { query: (sql, params) => other.query(sql, params) };
      try {
        let seenHolder: string | undefined;
        await serverAdmin.withLock(name, async () => {
          expect(await admin.tryLock(otherSession, name, false), 'exclusive while held').to.equal(false);
          expect(await admin.tryLock(otherSession, name, true), 'shared while held exclusively').to.equal(false);
          seenHolder = await describeLockHolder({ query: async (sql, params) => ({ rows: await other.query(sql, params) }) }, advisoryLockKey(name));
          // The key as pg_locks shows it (classid: high 32 bits, objid: low 32 bits).
          const [row] = await other.query(
            "SELECT ((classid::bigint << 32) | objid::bigint)::text AS key, a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE locktype = 'advisory' AND granted AND a.application_name = 'dialect-test'",
          );
          expect(row?.key).to.equal(advisoryLockKey(name));
        });
        expect(seenHolder).to.match(/^server pid \d+, application_name 'dialect-test'/);
        expect(await admin.tryLock(otherSession, name, false), 'free after withLock').to.equal(true);
        expect(await admin.unlock(otherSession, name, false)).to.equal(true);
        expect(await admin.unlock(otherSession, name, false), 'not held any more').to.equal(false);
        await serverAdmin.withLock(name, async () => {
          expect(await admin.tryLock(otherSession, name, true), 'shared overlaps shared').to.equal(true);
          expect(await admin.tryLock(otherSession, name, false), 'exclusive waits for shared').to.equal(false);
          await admin.unlock(otherSession, name, true);
        }, true);
      } finally {
        await other.close();
      }
    });

    it('a lock goes with its session: a terminated holder frees it for the next one', async () => {
      const name = `dialect-test:${process.pid}:session`;
      const waiter = await connect('postgres');
      const waiterSession: AdminSession = { query: (sql, params) => waiter.query(sql, params) };
      try {
        const held = serverAdmin.withOwnConnection(name, async (s) => {
          const [{ pid }] = await s.query('SELECT pg_backend_pid() AS pid');
          expect(await admin.tryLock(waiterSession, name, false)).to.equal(false);
          await waiter.query('SELECT pg_terminate_backend($1)', [pid]);
          await s.query('SELECT 1'); // the holder's session is gone
        });
        expect(dialect.classifyError(await failure(held))).to.be.oneOf(['session-terminated', 'connection-failure']);
        expect(await admin.tryLock(waiterSession, name, false), 'the server released it with the session').to.equal(true);
      } finally {
        await waiter.close();
      }
    });

    it('the migrator keeps its key scheme (old and new migrators exclude each other); the key is a positive 62-bit integer', () => {
      const sha = (text: string) => (createHash('sha256').update(text).digest().readBigUInt64BE(0) & ((1n << 62n) - 1n)).toString();
      expect(runLockKey('fbs_migrations')).to.equal(sha('fbs-migrate:fbs_migrations'));
      for (const name of ['', 'a', 'fbs_solutions:acme', '☃'.repeat(100)]) {
        const key = BigInt(advisoryLockKey(name));
        expect(key >= 0n && key < 1n << 62n, name).to.equal(true);
      }
      expect(advisoryLockKey('fbs_solutions:a')).not.to.equal(advisoryLockKey('fbs_solutions:b'));
    });
  });

  describe('error classification of real server errors', () => {
    it('maps SQLSTATEs from the driver and through Sequelize to the SDK categories', async () => {
      const database = fresh();
      await session((s) => admin.createDatabase(s, database));
      const a = await connect(database);
      const b = await connect(database);
      try {
        await a.query('CREATE TABLE t (id int PRIMARY KEY, v int)');
        await a.query('INSERT INTO t VALUES (1, 0), (2, 0)');
        expect(await category(session((s) => admin.createDatabase(s, database)))).to.equal('duplicate-database');
        expect(await category(connect(`${database}_missing`))).to.equal('invalid-catalog-name');
        expect(await category(a.query('SELECT * FROM missing_table'))).to.equal('undefined-table');
        expect(await category(a.query('INSERT INTO t VALUES (1, 1)'))).to.equal('unique-violation');
        expect(await category(a.query('DROP ROLE no_such_role_for_dialect'))).to.equal('undefined-object');
        expect(await category(a.query("SET statement_timeout = '50ms'; SELECT pg_sleep(2)"))).to.equal('query-canceled');
        await a.query('SET statement_timeout = 0');
        // lock not available: b holds a row lock, a asks with NOWAIT.
        await b.query('BEGIN; SELECT * FROM t WHERE id = 1 FOR UPDATE');
        expect(await category(a.query('SELECT * FROM t WHERE id = 1 FOR UPDATE NOWAIT'))).to.equal('lock-not-available');
        await b.query('ROLLBACK');
        // serialization failure: write skew between two SERIALIZABLE transactions.
        for (const c of [a, b]) await c.query('BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT sum(v) FROM t');
        await a.query('UPDATE t SET v = 1 WHERE id = 1');
        await b.query('UPDATE t SET v = 1 WHERE id = 2');
        await a.query('COMMIT');
        expect(await category(b.query('COMMIT'))).to.equal('serialization-failure');
        // deadlock: each holds one row and asks for the other's.
        for (const c of [a, b]) await c.query('BEGIN');
        await a.query('UPDATE t SET v = 2 WHERE id = 1');
        await b.query('UPDATE t SET v = 2 WHERE id = 2');
        const first = a.query('UPDATE t SET v = 3 WHERE id = 2').then(() => undefined, (e: Error) => e);
        const second = b.query('UPDATE t SET v = 3 WHERE id = 1').then(() => undefined, (e: Error) => e);
        const results = await Promise.all([first, second]);
        expect(results.filter(Boolean).map((e) => dialect.classifyError(e))).to.deep.equal(['deadlock']);
        for (const c of [a, b]) await c.query('ROLLBACK');
        // Through Sequelize's wrappers (error.parent / error.original).
        const project = createProject({ databases: { default: server.url(database) } });
        try {
          expect(await category(project.connection('default').query('SELECT * FROM missing_table'))).to.equal('undefined-table');
        } finally {
          await project.close();
        }
        expect(dialect.classifyError(new Error('not a database error'))).to.equal(undefined);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('classifies connection failures: nothing listening, a session ended by the server', async () => {
      const port = await freePort();
      expect(await category(dialect.connect('gone', `postgres://postgres:secret@127.0.0.1:${port}/postgres`))).to.equal('connection-failure');
      const victim = await connect('postgres');
      const [{ pid }] = await victim.query('SELECT pg_backend_pid() AS pid');
      await adminQuery('SELECT pg_terminate_backend($1)', [pid]);
      expect(await category(victim.query('SELECT 1'))).to.be.oneOf(['session-terminated', 'connection-failure']);
      await victim.close();
    });
  });

  describe('client config from a database config (one mapping)', () => {
    it('maps URL parts and libpq parameters; explicit options and dialectOptions; the call options', () => {
      const dir = mkdtempSync(join(tmpdir(), 'fbs-dialect-'));
      writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
      const url = `postgres://app:p%40ss%23word@db.example:6543/appdb?sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}&application_name=billing&connect_timeout=7&options=-c%20search_path%3Dapp`;
      const mapped = dialect.clientConfig('billing', url) as Record<string, any>;
      expect(mapped).to.deep.include({ host: 'db.example', port: 6543, user: 'app', password: 'p@ss#word', database: 'appdb', application_name: 'billing', connectionTimeoutMillis: 7000, options: '-c search_path=app' });
      expect(mapped.ssl).to.deep.include({ ca: 'CA PEM', rejectUnauthorized: true });
      expect(mapped.ssl.checkServerIdentity, 'verify-full checks the host name (node default)').to.equal(undefined);
      expect((dialect.clientConfig('a', 'postgres://u@h/d?sslmode=require') as any).ssl).to.deep.include({ rejectUnauthorized: false });
      expect((dialect.clientConfig('a', 'postgres://u@h/d?sslmode=disable') as any).ssl).to.equal(false);
      const verifyCa = (dialect.clientConfig('a', `postgres://u@h/d?sslmode=verify-ca&sslrootcert=${join(dir, 'ca.pem')}`) as any).ssl;
      expect(verifyCa.rejectUnauthorized).to.equal(true);
      expect(verifyCa.checkServerIdentity('other.host', {})).to.equal(undefined);
      const options = dialect.clientConfig('o', { host: 'h', port: 5433, username: 'u', password: 'pw', database: 'd', dialectOptions: { statement_timeout: 1000, ssl: false, unknownOption: 1 } }, { database: 'postgres', applicationName: 'fbs-x' }) as Record<string, unknown>;
      expect(options).to.deep.equal({ host: 'h', port: 5433, user: 'u', password: 'pw', database: 'postgres', statement_timeout: 1000, ssl: false, connectionTimeoutMillis: 5000, application_name: 'fbs-x' });
      expect((dialect.clientConfig('a', 'postgres://u@h/d?application_name=given', { applicationName: 'fallback' }) as any).application_name).to.equal('given');
    });

    it('a real connection honours the mapped settings; errors name the alias and never contain the password', async () => {
      const connection = await dialect.connect('billing', `${server.url('postgres')}?application_name=dialect-map&options=-c%20statement_timeout%3D1234`);
      try {
        const [row] = await connection.query("SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st");
        expect(row).to.deep.equal({ app: 'dialect-map', st: '1234ms' });
      } finally {
        await connection.close();
        await connection.close();
      }
      const secret = 'S3cr3t#pw';
      const bad = await failure(Promise.resolve().then(() => dialect.clientConfig('billing', `postgres://app:${secret}@h/d`)));
      expect(bad.message).to.include("Database 'billing'").and.not.include(secret).and.not.include('S3cr3t');
      const badMode = await failure(Promise.resolve().then(() => dialect.clientConfig('billing', `postgres://app:${encodeURIComponent(secret)}@h/d?sslmode=sometimes`)));
      expect(badMode.message).to.include('sslmode="sometimes"').and.not.include('S3cr3t');
      const port = await freePort();
      const refused = await failure(dialect.connect('billing', { host: '127.0.0.1', port, username: 'app', password: secret, database: 'd' }));
      expect(`${refused.message} ${refused.stack}`).not.to.include('S3cr3t');
    });
  });

  describe('create / clone / drop database', () => {
    it('clones a template with its data; refuses an existing name, a missing template and a template in use, changing nothing', async () => {
      const [template, clone, other] = [fresh(), fresh(), fresh()];
      await session((s) => admin.createDatabase(s, template));
      await queryDatabase(template, "CREATE TABLE item (name text); INSERT INTO item VALUES ('from-template')");
      await session((s) => admin.createDatabase(s, clone, { template }));
      expect(await queryDatabase(clone, 'SELECT name FROM item')).to.deep.equal([{ name: 'from-template' }]);
      await queryDatabase(clone, "INSERT INTO item VALUES ('clone-only')");
      expect(await category(session((s) => admin.createDatabase(s, clone, { template })))).to.equal('duplicate-database');
      expect(await queryDatabase(clone, 'SELECT name FROM item ORDER BY name'), 'the existing database is untouched').to.deep.equal([{ name: 'clone-only' }, { name: 'from-template' }]);
      expect(await category(session((s) => admin.createDatabase(s, other, { template: `${template}_missing` })))).to.equal('invalid-catalog-name');
      const user = await connect(template);
      try {
        expect(await category(session((s) => admin.createDatabase(s, other, { template })))).to.equal('object-in-use');
      } finally {
        await user.close();
      }
      expect(await session((s) => admin.existingDatabases(s, [other]))).to.deep.equal(new Set());
    });

    it('drop is idempotent, ends other sessions, and refuses the database the session is connected to', async () => {
      const [database, kept] = [fresh(), fresh()];
      await session(async (s) => {
        await admin.createDatabase(s, database);
        await admin.createDatabase(s, kept);
      });
      const holders = [await connect(kept), await connect(kept)];
      expect(await session((s) => admin.terminateConnections(s, kept))).to.equal(2);
      for (const holder of holders) expect(dialect.classifyError(await failure(holder.query('SELECT 1')))).to.be.oneOf(['session-terminated', 'connection-failure']);
      const holder = await connect(database);
      expect(await session((s) => admin.dropDatabase(s, database))).to.equal(true);
      expect(await session((s) => admin.dropDatabase(s, database)), 'dropping it again is a no-op').to.equal(false);
      expect(dialect.classifyError(await failure(holder.query('SELECT 1')))).to.be.oneOf(['session-terminated', 'connection-failure']);
      const own = await serverAdmin.inDatabase(kept, (s) => failure(admin.dropDatabase(s, kept)));
      expect(own).to.be.instanceOf(ConfigurationError);
      expect(own.message).to.include(`Database '${kept}' cannot be dropped from a session connected to it`);
      expect(await session((s) => admin.existingDatabases(s, [kept]))).to.deep.equal(new Set([kept]));
      for (const h of [...holders, holder]) await h.close();
    });
  });

  describe('roles and SCRAM verifiers (a throwaway cluster with scram-sha-256 for non-superusers)', () => {
    let cluster: ThrowawayCluster;
    let clusterAdmin: ServerAdmin;
    before(async function () {
      this.timeout(120_000);
      cluster = await startCluster({ settings: { log_statement: "'all'" }, hba: ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'] });
      clusterAdmin = dialect.serverAdmin(normalizeDatabaseConfig('cluster', cluster.url()));
    });
    after(async () => {
      await clusterAdmin?.close();
      await cluster?.stop();
    });

    it('a login role created from a verifier logs in with the password; the server never sees the password; a wrong one is an authentication failure', async () => {
      const password = 'pässwörd with spaces';
      const verifier = admin.passwordVerifier(password);
      expect(verifier).to.match(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
      await clusterAdmin.session(async (s) => {
        await admin.createLoginRole(s, 'dialect_app', verifier, 'made by the dialect test');
        expect(await category(admin.createLoginRole(s, 'dialect_app', verifier, 'again'))).to.equal('duplicate-object');
        expect(await admin.roleComment(s, 'dialect_app')).to.equal('made by the dialect test');
        expect(await admin.roleExists(s, 'dialect_app')).to.equal(true);
        expect(await admin.roleComment(s, 'dialect_nobody')).to.equal(undefined);
      });
      const [stored] = await cluster.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'dialect_app'");
      expect(stored.rolpassword).to.equal(verifier);
      const url = (secret: string) => `postgres://dialect_app:${encodeURIComponent(secret)}@127.0.0.1:${cluster.port}/postgres`;
      const connection = await dialect.connect('app', url(password));
      try {
        expect(await category(connection.query('CREATE DATABASE dialect_forbidden'))).to.equal('insufficient-privilege');
      } finally {
        await connection.close();
      }
      const refused = await failure(dialect.connect('app', url('wrong-password')));
      expect(dialect.classifyError(refused)).to.equal('authentication-failure');
      expect(refused.message).not.to.include('wrong-password');
      await clusterAdmin.session(async (s) => {
        await admin.alterLoginRole(s, 'dialect_app', admin.passwordVerifier('rotated'));
        await admin.dropRole(s, 'dialect_app');
        await admin.dropRole(s, 'dialect_app'); // idempotent
        expect(await admin.roleExists(s, 'dialect_app')).to.equal(false);
      });
      expect(await cluster.log()).not.to.include(password).and.not.to.include('rotated');
    });
  });
});
