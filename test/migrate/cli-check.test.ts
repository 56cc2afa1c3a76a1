import path from 'node:path';
import { expect } from 'chai';
import { runInProcess } from './cli-harness';

describe('fbs-migrate check (system checks)', () => {
  it('exits 0 for a sound project, without connecting; an app only solution databases hold is a warning until solutions exist', async () => {
    const result = await runInProcess(['check'], { FBS_TEST_DATABASES: JSON.stringify({ default: 'postgres://127.0.0.1/never_a', licensing: 'postgres://127.0.0.1/never_b' }) });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('fbs.W004').and.contain("app 'solution_app' on none of the databases");
    expect(result.stdout).to.contain('0 error(s), 1 warning(s)');
    const withSolution = await runInProcess(['check'], { FBS_TEST_SOLUTIONS: 'acme', FBS_TEST_DATABASES: JSON.stringify({ default: 'postgres://127.0.0.1/never_a', licensing: 'postgres://127.0.0.1/never_b' }) });
    expect(withSolution.code).to.equal(0);
    expect(withSolution.stdout).to.contain('System check identified no issues.');
  });

  it('exits 1 and lists each problem with its code and fix: a cross-database association, a router naming an unknown app', async () => {
    const cwd = path.join(__dirname, 'fixtures/check');
    const result = await runInProcess(['check'], {}, { cwd });
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.contain('fbs.E001').and.contain('fbs_app.OdooDatabase.license → fbs_license_manager.SolutionLicense');
    expect(result.stdout).to.contain('fbs.E003').and.contain("AppLabelRouter routes app 'fbs_licence_manager', which is not registered. Did you mean 'fbs_license_manager'?");
    const json = JSON.parse((await runInProcess(['check', '--json'], {}, { cwd })).stdout);
    expect(json.ok).to.equal(false);
    expect(json.problems.map((p: { code: string }) => p.code)).to.include.members(['fbs.E001', 'fbs.E003']);
  });
});
