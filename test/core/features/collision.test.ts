import { expect } from 'chai';
import { Session, User as AccountsUser, accountsApp } from '../../fixtures/features/auth-user';
import { Contact, User as CrmUser, crmApp } from '../../fixtures/features/crm-user';
import { SHARDS, onlyOn, setupFeatures, type FeatureWorld } from './setup';

describe('features: two apps each with a model class named User, in one project on the same database', () => {
  let w: FeatureWorld;
  before(async () => (w = await setupFeatures('collide', [accountsApp, crmApp])));
  after(() => w?.close());

  it('the two classes really share a name', () => {
    expect([AccountsUser.name, CrmUser.name]).to.deep.equal(['User', 'User']);
  });

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const on = <T>(fn: () => Promise<T>) => w.on(db, fn);

      it('create and read each User in its own table, with its own columns', async () => {
        const a = await on(() => w.project.model(AccountsUser).create({ email: `ann@${db}.io` }));
        const c = await on(() => w.project.model(CrmUser).create({ handle: `ann-${db}`, score: 7 }));
        expect([w.project.dbOf(a), w.project.dbOf(c)]).to.deep.equal([db, db]);
        expect(await w.counts('feat_accounts_users', `email = 'ann@${db}.io'`)).to.deep.equal(onlyOn(db, 1));
        expect(await w.counts('feat_crm_users', `handle = 'ann-${db}'`)).to.deep.equal(onlyOn(db, 1));
        const accounts = await on(() => w.project.model(AccountsUser).findAll());
        const crm = await on(() => w.project.model(CrmUser).findAll());
        expect(accounts.map((u) => u.get({ plain: true }))).to.deep.equal([{ id: a.id, email: `ann@${db}.io` }]);
        expect(crm.map((u) => u.get({ plain: true }))).to.deep.equal([{ id: c.id, handle: `ann-${db}`, score: 7 }]);
        expect(accounts[0]).to.be.instanceOf(AccountsUser);
        expect(crm[0]).to.be.instanceOf(CrmUser);
        expect(crm[0]).to.not.be.instanceOf(AccountsUser);
      });

      it('includes and mixins resolve to the User of the right app', async () => {
        const a = (await on(() => w.project.model(AccountsUser).findOne({ where: { email: `ann@${db}.io` } })))!;
        const c = (await on(() => w.project.model(CrmUser).findOne({ where: { handle: `ann-${db}` } })))!;
        await on(() => a.$create('session', { token: `tok-${db}` }));
        await on(() => (c as any).createContact({ phone: `555-${db}` }));
        const [session] = await w.rows(db, 'feat_accounts_sessions', `token = 'tok-${db}'`);
        const [contact] = await w.rows(db, 'feat_crm_contacts', `phone = '555-${db}'`);
        expect([session.userId, contact.userId]).to.deep.equal([a.id, c.id]);
        const s = (await on(() => w.project.model(Session).findOne({ where: { token: `tok-${db}` }, include: [AccountsUser] })))!;
        const k = (await on(() => w.project.model(Contact).findOne({ where: { phone: `555-${db}` }, include: ['user'] })))!;
        expect(s.user!.email).to.equal(`ann@${db}.io`);
        expect((k.user as CrmUser).handle).to.equal(`ann-${db}`);
        const withSessions = (await on(() => w.project.model(AccountsUser).findByPk(a.id, { include: [Session] })))!;
        const withContacts = (await on(() => w.project.model(CrmUser).findByPk(c.id, { include: [Contact] })))!;
        expect(withSessions.sessions!.map((x) => x.token)).to.deep.equal([`tok-${db}`]);
        expect(withContacts.contacts!.map((x) => x.phone)).to.deep.equal([`555-${db}`]);
        expect(w.project.dbOf(withContacts.contacts![0])).to.equal(db);
      });

      it('bulk writes of one User never touch the other app\'s table', async () => {
        const before = await w.rows(db, 'feat_crm_users');
        await on(() => w.project.model(AccountsUser).update({ email: `bob@${db}.io` }, { where: {} }));
        await on(() => w.project.model(AccountsUser).destroy({ where: { email: `bob@${db}.io` } }));
        expect(await w.rows(db, 'feat_accounts_users')).to.deep.equal([]);
        expect(await w.rows(db, 'feat_crm_users')).to.deep.equal(before);
        expect(await on(() => w.project.model(CrmUser).count())).to.equal(before.length);
      });
    });
  }
});
