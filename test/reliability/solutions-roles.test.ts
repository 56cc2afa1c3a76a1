import { expect } from 'chai';
import { Client } from 'pg';
import { ConfigurationError } from '@fbs/core';
import { RoleOwnershipError, roleMarker, SolutionManager } from '@fbs/solutions';
import { solutionProject, TEMPLATES } from '../solutions/fixtures/apps';
import { startCluster, type ThrowawayCluster } from '../harness/cluster';

// Per-solution roles on a throwaway cluster that logs every statement and checks passwords (SCRAM):
// names need not be unique here, so the tests use the issue's own (`reporting`, `opsadmin`).
// The password has a quote, a non-ASCII letter and a ligature SASLprep turns into 'fi'.
const password = (name: string) => `pw-'${name}'-ü-ﬁ-Zq81x`;
const SYSTEM = 'fbs_system_db';
const LICENSING = 'lic_system_db';

describe('reliability: per-solution roles (least privilege)', function () {
  this.timeout(180_000);
  let cluster: ThrowawayCluster;
  const managers: SolutionManager[] = [];

  const manager = (config: ConstructorParameters<typeof SolutionManager>[1] = {}) => {
    const m = new SolutionManager(solutionProject(cluster.url(SYSTEM)), { roles: { password }, templates: TEMPLATES, ...config });
    managers.push(m);
    return m;
  };
  /** Logs in over TCP with a password (the cluster checks it with SCRAM); undefined when it worked. */
  async function login(user: string, secret: string, database: string): Promise<{ code?: string; message: string } | undefined> {
    const client = new Client({ host: cluster.host, port: cluster.port, user, password: secret, database });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return error as { code?: string; message: string };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const role = async (name: string) =>
    (await cluster.query("SELECT rolcanlogin, rolsuper, rolpassword, shobj_description(oid, 'pg_authid') AS comment FROM pg_authid WHERE rolname = $1", [name]))[0];
  const databases = async (like: string) => (await cluster.query('SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1', [like])).map((r) => r.datname);
  const catalogued = async () => (await cluster.query('SELECT name FROM fbs_solutions ORDER BY name', [], SYSTEM)).map((r) => r.name);

  before(async () => {
    cluster = await startCluster({
      settings: { log_statement: "'all'" },
      hba: ['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'],
    });
    await cluster.query(`CREATE DATABASE ${SYSTEM}`);
    await cluster.query(`CREATE DATABASE ${LICENSING}`);
  });
  after(async () => {
    for (const m of managers) {
      await m.close().catch(() => undefined);
      await m.project.close().catch(() => undefined);
    }
    await cluster?.stop();
  });

  it('sends a SCRAM verifier, never the password: it is not in the server log (log_statement = all), and the role logs in with it', async () => {
    const m = manager();
    await m.create('acme');
    const log = await cluster.log();
    expect(log).to.contain('CREATE ROLE "fbs_acme_role"');
    expect(log).to.match(/CREATE ROLE "fbs_acme_role" .*PASSWORD 'SCRAM-SHA-256\$4096:[^']+'/);
    expect(log, 'a PASSWORD that is not a verifier').not.to.match(/PASSWORD '(?!SCRAM-SHA-256\$4096:)/);
    expect(log).not.to.contain(password('acme'));
    expect(log).not.to.contain('Zq81x');
    expect((await role('fbs_acme_role')).rolpassword).to.match(/^SCRAM-SHA-256\$4096:/);
    // The verifier is the password's: the role logs in with it, not with another one.
    expect(await login('fbs_acme_role', password('acme'), 'djo_acme_db')).to.equal(undefined);
    expect(await login('fbs_acme_role', 'wrong', 'djo_acme_db')).to.have.property('code', '28P01');
    // And the SDK's own connections (the solution's role) work.
    const who = await m.withSolution('acme', () => m.project.connection('fbs_acme_db').query('SELECT current_user AS u', { plain: true }));
    expect(who).to.deep.equal({ u: 'fbs_acme_role' });
  });

  it('marks the roles it creates, and never takes over an existing role of the same name (nothing is changed)', async () => {
    expect((await role('fbs_acme_role')).comment).to.equal(roleMarker('acme'));
    expect((await role(`fbs_${TEMPLATES.name}_role`)).comment).to.equal(roleMarker(TEMPLATES.name!));
    await cluster.query('CREATE ROLE fbs_reporting_role NOLOGIN');
    await cluster.query(`GRANT CONNECT ON DATABASE ${LICENSING} TO fbs_reporting_role`);
    const m = manager();
    const error = await m.create('reporting').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RoleOwnershipError);
    expect((error as Error).message).to.contain("Role 'fbs_reporting_role'").and.contain('not created by @fbs/solutions').and.contain('roles.name');
    expect(await role('fbs_reporting_role')).to.deep.include({ rolcanlogin: false, rolpassword: null, comment: null });
    expect(await databases('%reporting%')).to.deep.equal([]);
    expect(await catalogued()).to.deep.equal(['acme']);
  });

  it("refuses role templates that can collide with roles it does not own, and never demotes an existing superuser", async () => {
    expect(() => manager({ roles: { password, name: '{name}' } })).to.throw(ConfigurationError, /roles.name "\{name\}" would give a solution the role of the same name/);
    expect(() => manager({ roles: { password, name: 'x{name}' } })).to.throw(ConfigurationError, /separate '\{name\}'/);
    expect(() => manager({ roles: { password, name: 'pg_{name}' } })).to.throw(ConfigurationError, /may not start with 'pg_'/);
    expect(() => manager({ roles: { password, name: '{name}_user' } })).to.throw(ConfigurationError, /gives solution 'current' the role 'current_user'/);
    // A template that passes, and a superuser that happens to have the name it gives.
    expect(() => manager({ roles: { password, name: '{name}_role' } })).to.throw(ConfigurationError, /gives solution 'current' the role 'current_role'/);
    await cluster.query('CREATE ROLE tenant_opsadmin SUPERUSER LOGIN');
    const m = manager({ roles: { password, name: 'tenant_{name}' } });
    await expect(m.create('opsadmin')).to.be.rejectedWith(RoleOwnershipError, /Role 'tenant_opsadmin'/);
    expect(await role('tenant_opsadmin')).to.deep.include({ rolsuper: true, rolcanlogin: true, rolpassword: null });
    expect(await databases('%opsadmin%')).to.deep.equal([]);
  });

  it('drops only a role it marked: an unmarked one stops the drop before anything is dropped, with the fix', async () => {
    const m = manager();
    await m.create('beta');
    await cluster.query('COMMENT ON ROLE fbs_beta_role IS NULL'); // e.g. created by a version that did not mark roles
    const error = await m.drop('beta', { confirm: 'beta' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RoleOwnershipError);
    expect(await databases('%\\_beta\\_db')).to.deep.equal(['djo_beta_db', 'fbs_beta_db']);
    expect(await catalogued()).to.include('beta');
    // The fix the message gives, verbatim.
    const fix = /(COMMENT ON ROLE .*;)$/.exec((error as Error).message)![1]!;
    await cluster.query(fix);
    await m.drop('beta', { confirm: 'beta' });
    expect(await role('fbs_beta_role')).to.equal(undefined);
    expect(await databases('%\\_beta\\_db')).to.deep.equal([]);
  });

  it("connects only to its own databases once the operator closes the databases the SDK did not create (docs/solutions.md)", async () => {
    const m = manager();
    await m.create('gamma');
    const others = [`djo_acme_db`, `fbs_acme_db`, `djo_${TEMPLATES.name}_db`, `fbs_${TEMPLATES.name}_db`];
    for (const database of others) expect(await login('fbs_gamma_role', password('gamma'), database), database).to.have.property('code', '42501');
    for (const database of ['djo_gamma_db', 'fbs_gamma_db']) expect(await login('fbs_gamma_role', password('gamma'), database), database).to.equal(undefined);
    // Before the operator's step, databases the SDK did not create are still open to PUBLIC.
    expect(await m.connectableDatabases('gamma')).to.include.members([SYSTEM, LICENSING, 'postgres']);
    // The operator's step, as docs/solutions.md gives it (the application's own role would get CONNECT back).
    const open = (await cluster.query("SELECT datname FROM pg_database WHERE datallowconn AND has_database_privilege('public', oid, 'CONNECT')")).map((r) => r.datname);
    expect(open).to.have.members([SYSTEM, LICENSING, 'postgres', 'template1']);
    for (const database of open) await cluster.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${database}" FROM PUBLIC`);
    expect(await m.connectableDatabases('gamma')).to.deep.equal(['djo_gamma_db', 'fbs_gamma_db']);
    for (const database of [SYSTEM, LICENSING, 'postgres', 'template1']) {
      const error = await login('fbs_gamma_role', password('gamma'), database);
      expect(error, database).to.have.property('code', '42501');
      expect(error!.message).to.contain('permission denied for database');
    }
    expect(await m.withSolution('gamma', () => m.project.connection('djo_gamma_db').query('SELECT 1 AS one', { plain: true }))).to.deep.equal({ one: 1 });
  });

  it('without roles, too, the databases it creates (and its templates) are closed to PUBLIC', async () => {
    const m = manager({ roles: undefined, templates: { name: `${TEMPLATES.name}_open` } });
    await m.create('delta');
    const rows = await cluster.query(
      "SELECT datname, has_database_privilege('public', oid, 'CONNECT') AS open FROM pg_database WHERE datname LIKE '%delta%' OR datname LIKE '%\\_open\\_db' ORDER BY 1",
    );
    expect(rows).to.deep.equal([
      { datname: 'djo_delta_db', open: false },
      { datname: `djo_${TEMPLATES.name}_open_db`, open: false },
      { datname: 'fbs_delta_db', open: false },
      { datname: `fbs_${TEMPLATES.name}_open_db`, open: false },
    ]);
    expect(await m.withSolution('delta', () => m.project.connection('djo_delta_db').query('SELECT 1 AS one', { plain: true }))).to.deep.equal({ one: 1 });
  });
});
