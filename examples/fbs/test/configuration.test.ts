import { expect } from 'chai';
import { ConfigurationError } from '@fbs/core';
import { createFbsProject } from '../src';

// The seed's "Configuration": DB_* for fbs_system_db, LIC_DB_* for lic_system_db.
describe("examples/fbs: configuration from the seed's environment variables", () => {
  it('defaults to the seed names on localhost:5432', async () => {
    const project = createFbsProject({ env: {} });
    try {
      expect(project.connections.describe('default')).to.equal('postgres://localhost:5432/fbs_system_db');
      expect(project.connections.describe('licensing')).to.equal('postgres://localhost:5432/lic_system_db');
    } finally {
      await project.close();
    }
  });

  it('takes every variable, and never shows the password', async () => {
    const project = createFbsProject({
      env: {
        DB_NAME: 'fbs_system_db', DB_USER: 'odoo', DB_PASSWORD: 'secure_password', DB_HOST: 'db.internal', DB_PORT: '6432',
        LIC_DB_NAME: 'lic_system_db', LIC_DB_USER: 'lic', LIC_DB_PASSWORD: 'other_secret', LIC_DB_HOST: 'lic.internal', LIC_DB_PORT: '5433',
      },
    });
    try {
      expect(project.connections.describe('default')).to.equal('postgres://odoo@db.internal:6432/fbs_system_db');
      expect(project.connections.describe('licensing')).to.equal('postgres://lic@lic.internal:5433/lic_system_db');
      expect(project.connections.config('licensing').password).to.equal('other_secret');
    } finally {
      await project.close();
    }
  });

  it('a bad port is refused with the variable named', () => {
    expect(() => createFbsProject({ env: { LIC_DB_PORT: 'five' } })).to.throw(ConfigurationError, /LIC_DB_PORT="five" is not a port number/);
  });
});
