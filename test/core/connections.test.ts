import { expect } from 'chai';
import sinon from 'sinon';
import { ConfigurationError, createProject, databasesFromEnv, UnknownDatabaseError } from '@fbs/core';
import { allApps, Customer } from '../fixtures/models';
import { createDatabases, testServer } from '../harness/postgres';

describe('connections', () => {
  let urls: string[];
  before(async () => {
    const server = await testServer();
    urls = (await createDatabases(2, 'conn')).map((n) => server.url(n));
  });

  it('open lazily, once per alias, even for concurrent first uses', async () => {
    const p = createProject({ databases: { default: urls[0]!, other: urls[1]! }, apps: allApps });
    const opened = sinon.spy();
    p.connections.on('open', opened);
    expect(p.connections.isOpen('other')).to.equal(false);
    const [a, b] = await Promise.all([p.connections.connect('other'), p.connections.connect('other')]);
    expect(a).to.equal(b);
    expect(opened.withArgs('other').callCount).to.equal(1);
    expect(p.connections.openAliases()).to.include('other');
    await p.close();
    await p.close(); // idempotent
    expect(p.connections.isOpen('other')).to.equal(false);
  });

  it('a failed connect is not cached', async () => {
    const p = createProject({ databases: { default: urls[0]!, late: urls[1]!.replace(/\/[^/]+$/, '/fbs_does_not_exist_yet') }, apps: allApps });
    await expect(p.connections.connect('late')).to.be.rejectedWith(/fbs_does_not_exist_yet|does not exist/);
    p.addDatabase('late', urls[1]!, { replace: true });
    await p.connections.connect('late');
    await p.close();
  });

  it('aliases can be added and removed at runtime; unknown aliases name the known ones', async () => {
    const p = createProject({ databases: { default: urls[0]! }, apps: allApps });
    expect(() => p.connection('extra')).to.throw(UnknownDatabaseError, /'extra'.*Configured aliases: 'default'/);
    p.addDatabase('extra', urls[1]!);
    expect(() => p.addDatabase('extra', urls[1]!)).to.throw(ConfigurationError, /already configured/);
    await p.connection('extra').sync();
    await p.model(Customer).using('extra').create({ name: 'runtime' });
    expect(await p.model(Customer).using('extra').count()).to.be.greaterThan(0);
    await p.removeDatabase('extra');
    expect(() => p.model(Customer).using('extra')).to.throw(UnknownDatabaseError);
    await p.close();
  });

  it('Symbol.asyncDispose closes the project', async () => {
    let closed = false;
    {
      await using p = createProject({ databases: { default: urls[0]! }, apps: allApps });
      p.connections.on('close', () => (closed = true));
      await p.connections.connect('default');
    }
    expect(closed).to.equal(true);
  });

  it('resolvers supply aliases on first use, first answer wins, and can be removed', async () => {
    const p = createProject({ databases: { default: urls[0]! }, apps: allApps });
    const removeFirst = p.connections.addResolver((alias) => (alias === 'djo_lazy_db' ? urls[1] : undefined));
    const removeSecond = p.connections.addResolver((alias) => (alias.startsWith('djo_') ? urls[0] : undefined));
    expect(p.connections.has('djo_lazy_db')).to.equal(true);
    expect(p.connections.has('djo_other_db')).to.equal(true);
    removeSecond();
    expect(p.connections.has('djo_other_db')).to.equal(false);
    removeFirst();
    expect(p.connections.has('djo_lazy_db')).to.equal(false);
    p.connections.addResolver((alias) => (alias === 'djo_lazy_db' ? urls[1] : undefined));
    await p.connections.connect('djo_lazy_db');
    expect(p.connections.aliases()).to.include('djo_lazy_db');
    await p.close();
  });

  it('closeOne closes an idle pool; the next use reopens it', async () => {
    const p = createProject({ databases: { default: urls[0]! }, apps: allApps });
    await p.connection('default').sync();
    const first = p.connection('default');
    await p.model(Customer).create({ name: 'before-close' });
    expect(p.connections.isIdle('default')).to.equal(true);
    expect(p.connections.connectionCount('default')).to.be.greaterThan(0);
    await p.connections.closeOne('default');
    expect(p.connections.isOpen('default')).to.equal(false);
    expect(await p.model(Customer).count({ where: { name: 'before-close' } })).to.equal(1);
    expect(p.connection('default')).to.not.equal(first);
    expect(await first.query('SELECT 1 AS one', { plain: true }), 'a stray query to the old instance is forwarded').to.deep.equal({ one: 1 });
    await p.close();
  });

  it('references kept across a close keep working: connection().transaction(), repository().findOrCreate()', async () => {
    const p = createProject({ databases: { default: urls[0]! }, apps: allApps });
    await p.connection('default').sync();
    const kept = p.connection('default');
    const repository = p.repository('default', Customer);
    await p.connections.closeOne('default');
    await kept.transaction(async () => {
      await repository.create({ name: 'kept-tx' });
    });
    const [found, created] = await repository.findOrCreate({ where: { name: 'kept-foc' } });
    expect(created).to.equal(true);
    expect(found.name).to.equal('kept-foc');
    await p.close();
    const again = await kept.transaction(() => repository.count({ where: { name: ['kept-tx', 'kept-foc'] } }));
    expect(again, 'after project.close() too: the alias reopens').to.equal(2);
    await p.close();
  });

  it('configs: URLs and objects are validated; errors name the alias and never the password', () => {
    const bad = (config: unknown) => () => createProject({ databases: { default: config as any } });
    expect(bad('not a url')).to.throw(ConfigurationError, /Database 'default': the URL is not valid/);
    expect(bad('redis://x/y')).to.throw(ConfigurationError, /unsupported URL scheme 'redis:'/);
    expect(bad({ host: 'h' })).to.throw(ConfigurationError, /no database name/);
    expect(bad({ database: 'd', port: 'abc', password: 'hunter2' })).to.throw(ConfigurationError, /port "abc"/);
    try {
      bad('postgres://u:hunter2@h:99999/d')();
    } catch (e) {
      expect(String(e)).to.not.include('hunter2');
    }
    expect(bad(42)).to.throw(ConfigurationError, /URL string or an options object/);
  });

  it('databasesFromEnv reads the seed variables with the seed defaults', () => {
    const defaults = databasesFromEnv({ env: {} });
    expect(defaults.default).to.include({ database: 'fbs_system_db', host: 'localhost', port: 5432 });
    expect(defaults.licensing).to.include({ database: 'lic_system_db', host: 'localhost', port: 5432 });
    const set = databasesFromEnv({
      env: { DB_NAME: 'sys', DB_USER: 'odoo', DB_PASSWORD: 'pw', DB_HOST: 'db', DB_PORT: '6543', LIC_DB_NAME: 'lic', LIC_DB_USER: 'lu', LIC_DB_PASSWORD: 'lp', LIC_DB_HOST: 'lh', LIC_DB_PORT: '7654' },
    });
    expect(set.default).to.include({ database: 'sys', username: 'odoo', password: 'pw', host: 'db', port: 6543 });
    expect(set.licensing).to.include({ database: 'lic', username: 'lu', password: 'lp', host: 'lh', port: 7654 });
    expect(() => databasesFromEnv({ env: { LIC_DB_PORT: 'five' } })).to.throw(ConfigurationError, /LIC_DB_PORT="five" is not a port number/);
  });
});
