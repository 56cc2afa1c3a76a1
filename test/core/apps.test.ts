import { expect } from 'chai';
import { Column, DataType, Model, Table } from 'sequelize-typescript';
import { createProject, defineApp } from '@fbs/core';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

function userModel() {
  @Table({ timestamps: false })
  class User extends Model {
    @Column(DataType.STRING) declare email: string;
  }
  return User;
}

describe('apps', () => {
  it('two apps may both have a User: model names (no dots) and tables are namespaced by app', async () => {
    const AuthUser = userModel();
    const CrmUser = userModel();
    expect(AuthUser.name).to.equal(CrmUser.name);
    const server = await testServer();
    const [db] = await createDatabases(1, 'apps');
    const project = createProject({
      databases: { default: server.url(db!) },
      apps: [defineApp({ label: 'auth', models: [AuthUser] }), defineApp({ label: 'crm', models: [CrmUser] })],
    });
    try {
      await project.connection('default').sync();
      await project.model(AuthUser).create({ email: 'a@auth' });
      await project.model(CrmUser).create({ email: 'c@crm' });
      expect(project.repository('default', AuthUser).name).to.equal('auth_User');
      expect(project.repository('default', CrmUser).name).to.equal('crm_User');
      expect(await queryDatabase(db!, 'SELECT email FROM auth_user')).to.deep.equal([{ email: 'a@auth' }]);
      expect(await queryDatabase(db!, 'SELECT email FROM crm_user')).to.deep.equal([{ email: 'c@crm' }]);
      expect(project.apps.apps().map((a) => a.label)).to.deep.equal(['auth', 'crm']);
    } finally {
      await project.close();
    }
  });

  it('a model loaded through the routed API is an instance of the declared class', async () => {
    const User = userModel();
    const project = createProject({ databases: { default: 'postgres://127.0.0.1/unused' }, apps: [defineApp({ label: 'x', models: [User] })] });
    expect(project.model(User).build({ email: 'e' })).to.be.instanceOf(User);
    await project.close();
  });
});
