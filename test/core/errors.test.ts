import { inspect } from 'node:util';
import { expect } from 'chai';
import createDebug from 'debug';
import { Column, DataType, Model, Table } from 'sequelize-typescript';
import {
  AppRegistryError, ConfigurationError, createProject, DatabaseUnavailableError, defineApp, FbsError, UnknownDatabaseError,
} from '@fbs/core';
import { allApps, Customer, Invoice, shopApp } from '../fixtures/models';
import { setupProject, type TestProject } from './setup';

@Table({ timestamps: false })
class Stray extends Model {
  @Column(DataType.STRING) declare name: string;
}

describe('errors', () => {
  let t: TestProject;
  before(async () => (t = await setupProject(['default'])));
  after(() => t.close());

  it('an exception thrown inside a router propagates, and nothing is written', async () => {
    const failure = new Error('router exploded');
    const p = t.reroute([{ dbForWrite: (m) => { if (m.appLabel === 'billing') throw failure; return null; } }]);
    const before = await t.rows('default', 'billing_invoice');
    await expect(p.model(Invoice).create({ number: 'never' })).to.be.rejectedWith(failure);
    await expect(p.transaction(Invoice, async () => undefined)).to.be.rejectedWith(failure);
    expect(await t.rows('default', 'billing_invoice')).to.deep.equal(before);
  });

  it('an alias a router returns that is not configured names it, the method, the model and the known aliases', async () => {
    const p = t.reroute([{ dbForRead: () => 'defualt' }]);
    const error = await p.model(Customer).findAll().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(UnknownDatabaseError);
    expect((error as Error).message).to.include("Unknown database alias 'defualt' (dbForRead(shop.Customer))");
    expect((error as Error).message).to.include("Configured aliases: 'default'").and.include("Did you mean 'default'?");
  });

  it('using() an unknown alias fails at once', () => {
    expect(() => t.project.model(Customer).using('nope')).to.throw(UnknownDatabaseError, /'nope' \(using\(\)\)/);
  });

  it('a router answering something other than an alias is refused', async () => {
    const p = t.reroute([{ dbForRead: () => 42 as any }]);
    await expect(p.model(Customer).findAll()).to.be.rejectedWith(ConfigurationError, /returned 42 for|returned 42/);
  });

  it('a model without an app is refused with the fix', () => {
    expect(() => t.project.model(Stray)).to.throw(AppRegistryError, /Stray is not registered in any app.*defineApp\(\{ label: 'my_app', models: \[Stray\] \}\)/);
  });

  it('bad app labels are refused', () => {
    for (const label of ['', '1app', 'my-app', 'my app', 'a'.repeat(64), 'drop;table']) {
      expect(() => defineApp({ label, models: [] }), label).to.throw(AppRegistryError, /is not an identifier/);
    }
    expect(() => defineApp({ label: 'ok', models: [{} as any] })).to.throw(AppRegistryError, /models\[0\] is not a model class/);
  });

  it('duplicate registrations are refused', () => {
    const databases = { default: 'postgres://127.0.0.1/x' };
    expect(() => createProject({ databases, apps: [shopApp, defineApp({ label: 'shop', models: [] })] })).to.throw(AppRegistryError, /Two apps have the label 'shop'/);
    expect(() => createProject({ databases, apps: [shopApp, defineApp({ label: 'again', models: [Customer] })] })).to.throw(
      AppRegistryError,
      /Customer is registered in two apps, 'shop' and 'again'/,
    );
    expect(() => defineApp({ label: 'twice', models: [Invoice, Invoice] })).to.throw(AppRegistryError, /lists model Invoice twice/);
  });

  it('every error is an FbsError with a stable code', () => {
    try {
      t.project.model(Stray);
    } catch (e) {
      expect(e).to.be.instanceOf(FbsError);
      expect((e as FbsError).code).to.equal('FBS_APP_REGISTRY');
    }
  });

  describe('a database that is down', () => {
    const password = 'S3cret-Pa55word!';
    it('fails fast with an error naming the alias and never the password; other databases keep working', async () => {
      const logged: string[] = [];
      const previousLog = createDebug.log;
      createDebug.enable('fbs:*');
      createDebug.log = (...args: unknown[]) => logged.push(args.map(String).join(' '));
      const p = createProject({
        databases: {
          default: t.project.connections.config('default') as any,
          down: { host: '127.0.0.1', port: 1, database: 'nowhere', username: 'app', password },
          downUrl: `postgres://app:${password}@127.0.0.1:1/nowhere`,
        },
        apps: allApps,
      });
      try {
        for (const alias of ['down', 'downUrl']) {
          const started = Date.now();
          const error = await p.model(Customer).using(alias).findAll().then(() => undefined, (e: unknown) => e);
          expect(Date.now() - started, 'fails fast').to.be.lessThan(5000);
          expect(error).to.be.instanceOf(DatabaseUnavailableError);
          expect((error as DatabaseUnavailableError).alias).to.equal(alias);
          expect((error as Error).message).to.include(`Database '${alias}' (postgres://app@127.0.0.1:1/nowhere) is unavailable`);
          for (const text of [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
            expect(text).to.not.include(password);
          }
          const txError = await p.transaction(alias, async () => undefined).then(() => undefined, (e: unknown) => e);
          expect(txError).to.be.instanceOf(DatabaseUnavailableError);
          expect(inspect(txError, { depth: 10 })).to.not.include(password);
        }
        expect(await p.model(Customer).count()).to.be.a('number');
        expect(logged.join('\n')).to.not.include(password);
      } finally {
        createDebug.log = previousLog;
        createDebug.disable();
        await p.close();
      }
    });
  });
});
