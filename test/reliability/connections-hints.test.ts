import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { Client } from 'pg';
import { createProject, DatabaseUnavailableError } from '@fbs/core';
// Not re-exported by the package index yet (the lead's file): the same module through its source path.
import { connectionHint, isConnectionFailure } from '../../packages/core/src/errors';
import { startCluster, type ThrowawayCluster } from '../harness/cluster';

const PASSWORD = 'Hint-Secret-8472';
const OLD_HINT = 'Check that the server is running and that the database exists';

describe('reliability: each connection failure gets its own hint', function () {
  this.timeout(60_000);
  let cluster: ThrowawayCluster;
  before(async () => {
    cluster = await startCluster({ hba: ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'] });
    await cluster.query(`CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`);
    await cluster.query(`CREATE ROLE limited LOGIN PASSWORD '${PASSWORD}' CONNECTION LIMIT 1`);
    await cluster.query('CREATE DATABASE appdb OWNER app');
  });
  after(() => cluster?.stop());

  const url = (user: string, password: string, database = 'appdb', port = cluster.port) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  /** The error of a first query on `databaseUrl` through the SDK; checked to be a DatabaseUnavailableError without any password. */
  async function failure(databaseUrl: string): Promise<DatabaseUnavailableError> {
    const project = createProject({ databases: { main: databaseUrl } });
    try {
      const error = await project.connection('main').query('SELECT 1').then(() => undefined, (e: unknown) => e);
      expect(error, 'the query fails').to.be.instanceOf(DatabaseUnavailableError);
      const e = error as DatabaseUnavailableError;
      expect(e.alias).to.equal('main');
      for (const text of [e.message, String(e.stack), inspect(e, { depth: 10 })]) expect(text).to.not.include(PASSWORD);
      expect(e.message, 'not the one-size-fits-all hint').to.not.include(OLD_HINT);
      expect(e.message.endsWith(e.hint)).to.equal(true);
      return e;
    } finally {
      await project.close();
    }
  }

  it('a wrong password (28P01): check the user name and password', async () => {
    const e = await failure(url('app', `${PASSWORD}-wrong`));
    expect(e.kind).to.equal('authentication');
    expect(e.message).to.include('password authentication failed').and.include('Check the user name and password');
  });

  it('a user that does not exist (28000 / 28P01): check the user name and password', async () => {
    const e = await failure(url('nobody', PASSWORD));
    expect(e.kind).to.equal('authentication');
    expect(e.hint).to.include('Check the user name and password');
  });

  it('a database that does not exist (3D000): create it, then fbs-migrate', async () => {
    const e = await failure(url('app', PASSWORD, 'nowhere_db'));
    expect(e.kind).to.equal('missing-database');
    expect(e.message).to.include('"nowhere_db" does not exist').and.include('create it').and.include('fbs-migrate up');
  });

  it('nothing listening (ECONNREFUSED): no server answers at host and port', async () => {
    const e = await failure(url('app', PASSWORD, 'appdb', 1));
    expect(e.kind).to.equal('unreachable');
    expect(e.hint).to.include('No server answers at that host and port');
  });

  it('a server that never answers (connect_timeout=1): unreachable, within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const started = Date.now();
      const e = await failure(`${url('app', PASSWORD, 'appdb', (silent.address() as { port: number }).port)}?connect_timeout=1`);
      expect(Date.now() - started).to.be.lessThan(4_000);
      expect(e.kind).to.equal('unreachable');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('too many connections (53300): lower pool.max or raise max_connections', async () => {
    const holder = new Client({ host: '127.0.0.1', port: cluster.port, user: 'limited', password: PASSWORD, database: 'appdb' });
    await holder.connect();
    try {
      const e = await failure(url('limited', PASSWORD));
      expect(e.kind).to.equal('too-many-connections');
      expect(e.hint).to.include('too many connections').and.include('max_connections');
    } finally {
      await holder.end();
    }
  });

  it('a statement error is not a connection failure', async () => {
    const project = createProject({ databases: { main: url('app', PASSWORD) } });
    try {
      const error = await project.connection('main').query('SELECT * FROM no_such_table').then(() => undefined, (e: unknown) => e);
      expect(error).to.not.be.instanceOf(DatabaseUnavailableError);
      expect(isConnectionFailure(error)).to.equal(false);
      // A server error that merely reads like a connection failure is still a statement error.
      const raised = await project.connection('main').query("DO $$ BEGIN RAISE EXCEPTION 'Connection terminated unexpectedly'; END $$").then(() => undefined, (e: unknown) => e);
      expect(raised).to.be.instanceOf(Error).and.not.be.instanceOf(DatabaseUnavailableError);
      expect(isConnectionFailure(new Error('boom'))).to.equal(false);
      expect(connectionHint(Object.assign(new Error('x'), { code: '57P01' }))).to.include('restarting');
    } finally {
      await project.close();
    }
  });
});
