import { inspect } from 'node:util';
import { expect } from 'chai';
import { Client } from 'pg';
import { ConfigurationError, createProject, normalizeDatabaseConfig } from '@fbs/core';
import { createDatabases, testServer } from '../harness/postgres';

const SECRET = 'Zq8SecretPw';

/** The error `createProject` raises for `url` under alias `broken`, checked to never show the password. */
function configError(url: string, secret = SECRET): ConfigurationError {
  let error: unknown;
  try {
    createProject({ databases: { broken: url } });
  } catch (e) {
    error = e;
  }
  expect(error, `no error for ${url}`).to.be.instanceOf(ConfigurationError);
  const e = error as ConfigurationError;
  for (const text of [e.message, String(e.stack), inspect(e, { depth: 10 }), JSON.stringify(e)]) {
    expect(text, 'the password never appears').to.not.include(secret);
  }
  expect(e.message).to.include("Database 'broken'");
  return e;
}

describe('reliability: database URLs', () => {
  describe('a password that is not percent-encoded', () => {
    const cases: Record<string, string> = {
      "a '%' that is not an escape": `postgres://app:ab%zz${SECRET}@127.0.0.1:5432/appdb`,
      "a '#'": `postgres://app:pa#${SECRET}@127.0.0.1:5432/appdb`,
      "a '#' after digits (parsed as a port)": `postgres://app:1234#${SECRET}@127.0.0.1:5432/appdb`,
      "an '@' and a '#'": `postgres://app:p@ss#${SECRET}@127.0.0.1:5432/appdb`,
      "an '@' and a '/' (parsed as a database name)": `postgres://app:p@ss/${SECRET}@127.0.0.1:5432/appdb`,
      "a '?' (parsed as URL parameters)": `postgres://app:12?${SECRET}@127.0.0.1:5432/appdb`,
    };
    for (const [what, url] of Object.entries(cases)) {
      it(`with ${what} is a ConfigurationError naming the alias and encodeURIComponent, never the password`, () => {
        const error = configError(url);
        expect(error.message).to.include('encodeURIComponent');
        expect(error.message).to.not.include('no database name');
      });
    }

    it('an encoded password with every special character is decoded intact', async () => {
      const password = `p@ss#/?%:${SECRET}`;
      const config = normalizeDatabaseConfig('ok', `postgres://app:${encodeURIComponent(password)}@127.0.0.1:5432/appdb`);
      expect(config).to.include({ username: 'app', password, host: '127.0.0.1', port: 5432, database: 'appdb' });
    });
  });

  describe('libpq parameters', () => {
    it('an unknown parameter is a ConfigurationError naming it and the known ones', () => {
      const error = configError('postgres://app:x@127.0.0.1:5432/appdb?sslmod=require');
      expect(error.message).to.include("unknown URL parameter 'sslmod'");
      for (const known of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'options', 'connect_timeout']) {
        expect(error.message).to.include(known);
      }
    });

    it('bad values are ConfigurationErrors naming the parameter and the accepted values', () => {
      expect(configError('postgres://h/db?sslmode=required').message).to.include('sslmode="required" is not an SSL mode').and.include('verify-full');
      expect(configError('postgres://h/db?connect_timeout=soon').message).to.include('connect_timeout="soon" is not a number of seconds');
      expect(configError('postgres://h/db?sslrootcert=/nonexistent/ca.pem').message).to.include('sslrootcert=/nonexistent/ca.pem cannot be read (ENOENT)');
      expect(configError('postgres://h/db?sslmode=disable&sslmode=require').message).to.include("'sslmode' is given twice");
      expect(configError('mysql://h/db?ssl=true').message).to.include('postgres:// URLs only');
    });

    it('connect_timeout is seconds, sslmode=disable is no TLS, and explicit dialectOptions win', () => {
      const config = normalizeDatabaseConfig('t', 'postgres://h/db?connect_timeout=7&sslmode=disable');
      expect(config.dialectOptions).to.deep.include({ connectionTimeoutMillis: 7000, ssl: false });
      const explicit = normalizeDatabaseConfig('t', { url: 'postgres://h/db?connect_timeout=7', dialectOptions: { connectionTimeoutMillis: 1000 } });
      expect(explicit.dialectOptions).to.deep.include({ connectionTimeoutMillis: 1000 });
    });

    it('application_name and options reach the server', async () => {
      const server = await testServer();
      const [database] = await createDatabases(1, 'connurl');
      const name = `fbs-url-${process.pid}`;
      const url = `${server.url(database!)}?application_name=${name}&options=${encodeURIComponent('-c search_path=fbs_elsewhere,public')}`;
      const project = createProject({ databases: { default: url } });
      const direct = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'postgres' });
      try {
        const [row] = (await project.connection('default').query("SELECT current_setting('search_path') AS path", { type: 'SELECT' as any })) as any[];
        expect(row.path).to.equal('fbs_elsewhere,public');
        await direct.connect();
        const seen = await direct.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2', [name, database]);
        expect(seen.rows[0].n, 'a session with that application_name, seen from another connection').to.be.greaterThan(0);
      } finally {
        await direct.end().catch(() => undefined);
        await project.close();
      }
    });
  });
});
