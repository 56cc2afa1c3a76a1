import { expect } from 'chai';
import { createProject, defineApp } from '@fbs/core';
import { ConsistencySession, parseCausalityToken } from '../../packages/core/src/consistency-session';
import { ReplicaSelector } from '../../packages/core/src/replica-selector';
import { formatWalPosition, parseWalPosition } from '../../packages/core/src/wal-position';

describe('read replicas: the decision (no server)', () => {
  const selector = (window = 1_000) => {
    const s = new ReplicaSelector(['db@replica1', 'db@replica2'], window);
    for (const state of s.states) Object.assign(state, { health: 'up', replayed: 100 });
    return s;
  };

  it('round-robins over healthy replicas and skips down, lagging, unknown and behind ones', () => {
    const s = selector();
    expect([1, 2, 3, 4].map(() => s.pick(undefined)!.alias)).to.deep.equal(['db@replica1', 'db@replica2', 'db@replica1', 'db@replica2']);
    s.states[0]!.health = 'down';
    expect([1, 2].map(() => s.pick(undefined)!.alias)).to.deep.equal(['db@replica2', 'db@replica2']);
    s.states[1]!.health = 'lagging';
    expect(s.pick(undefined)).to.equal(undefined);
    s.states[0]!.health = 'up';
    s.states[1]!.health = 'unknown';
    expect(s.pick(undefined)!.alias).to.equal('db@replica1');
    expect(s.pick(undefined, s.states[0])).to.equal(undefined);
  });

  it('a write mark is served only by a replica that replayed it; behind replicas ask for a fresh check', () => {
    const s = selector();
    let asked = 0;
    s.onBehind = () => void asked++;
    const session = new ConsistencySession();
    const mark = session.begin('db');
    expect(s.pick(mark)).to.equal(undefined); // in flight
    session.settle(mark, 150);
    expect(s.pick(mark)).to.equal(undefined);
    expect(asked).to.equal(1);
    s.states[1]!.replayed = 150;
    expect(s.pick(mark)!.alias).to.equal('db@replica2');
  });

  it('an unknown position keeps reads on the primary for the time window, then lets them go', () => {
    const s = selector(50);
    const session = new ConsistencySession();
    const mark = session.begin('db', Date.now() - 40);
    session.settle(mark, undefined);
    expect(mark.lsn).to.equal(Infinity);
    expect(s.pick(mark)).to.equal(undefined);
    mark.at = Date.now() - 60;
    expect(s.pick(mark)).to.not.equal(undefined);
  });

  it('concurrent writes: the mark settles when the last one ends, at the highest position', () => {
    const session = new ConsistencySession();
    const a = session.begin('db');
    const b = session.begin('db');
    session.settle(b, 200);
    expect(a.lsn).to.equal(Infinity);
    session.settle(a, 180);
    expect(a.lsn).to.equal(200);
  });

  it('causality tokens round-trip, merge upwards, and refuse garbage', () => {
    const session = new ConsistencySession();
    session.settle(session.begin('default'), parseWalPosition('1/A0'));
    session.settle(session.begin('djo acme'), undefined);
    const token = session.token();
    expect(token).to.match(/^v1;default=1\/A0;djo%20acme=t\d+$/);
    const other = new ConsistencySession();
    other.settle(other.begin('default'), parseWalPosition('2/0'));
    other.merge(token);
    expect(formatWalPosition(other.marks.get('default')!.lsn)).to.equal('2/0');
    expect(other.marks.get('djo acme')!.lsn).to.equal(Infinity);
    expect(parseCausalityToken('v1').size).to.equal(0);
    expect(() => parseCausalityToken('v1;default=zz')).to.throw(/'zz' is not a WAL position/);
    expect(() => parseCausalityToken('v2;default=0/1')).to.throw(/does not start with 'v1'/);
  });

  it('replica config errors name the alias, the value and the fix', () => {
    const make = (def: unknown) => () => createProject({ databases: { default: def as any }, apps: [] });
    expect(make({ url: 'postgres://h/db', replicas: 'postgres://r/db' })).to.throw(/Database 'default': `replicas` must be an array/);
    expect(make({ url: 'postgres://h/db', replicas: [42] })).to.throw(/replicas\[0\] must be a URL or an options object, got number/);
    expect(make({ url: 'postgres://h/db', maxLagMs: 10 })).to.throw(/`maxLagMs` is set but `replicas` is not/);
    expect(make({ url: 'postgres://h/db', replicas: [], replicaReads: 'no' })).to.throw(/replicaReads must be true or false, got "no"/);
    expect(make({ url: 'mysql://h/db', replicas: ['mysql://r/db'] })).to.throw(/replicas need PostgreSQL streaming replication/);
    expect(() => defineApp({ label: 'x', replicaReads: 1 as any })).to.throw(/App 'x': replicaReads must be true or false/);
    const project = createProject({ databases: { default: { url: 'postgres://h/db', replicas: ['postgres://r1/db', 'postgres://u:secret@r2/db'] } }, apps: [] });
    expect(project.connections.aliases()).to.deep.equal(['default']);
    expect(project.connections.describe('default@replica2')).to.equal('postgres://u@r2/db');
  });

  it('an alias supplied at run time (a solution database) brings its replicas; removing it removes them', async () => {
    const project = createProject({ databases: { default: 'postgres://h/db' }, apps: [] });
    project.connections.addResolver((alias) => (alias.startsWith('djo_') ? { url: `postgres://server1/${alias}`, replicas: [`postgres://server1-ro/${alias}`] } : undefined));
    // Asking for a replica first resolves its primary.
    expect(project.connections.describe('djo_acme_db@replica1')).to.equal('postgres://server1-ro/djo_acme_db');
    expect(project.connections.primaryOf('djo_acme_db@replica1')).to.equal('djo_acme_db');
    expect(project.connections.aliases()).to.deep.equal(['default', 'djo_acme_db']);
    expect(project.allowMigrate('djo_acme_db@replica1', 'any')).to.equal(false);
    await project.removeDatabase('djo_acme_db');
    expect(project.connections.aliases()).to.deep.equal(['default']);
    expect(project.connections.primaryOf('djo_acme_db@replica1')).to.equal(undefined);
  });
});
