import { expect } from 'chai';
import { anyOf, fromHeader, fromPathParam, fromSubdomain, type RequestInfo } from '@fbs/http';

const request = (headers: RequestInfo['headers'], url = '/', params?: Record<string, unknown>): RequestInfo => ({ headers, url, params });

describe('http: reading the solution of a request', () => {
  it('fromHeader reads a header (case-insensitive name, first value, trimmed); empty names none', () => {
    expect(fromHeader('X-Tenant')(request({ 'x-tenant': ' acme ' }))).to.equal('acme');
    expect(fromHeader()(request({ 'x-solution': ['acme', 'other'] }))).to.equal('acme');
    expect(fromHeader()(request({ 'x-solution': '' }))).to.equal(undefined);
    expect(fromHeader()(request({}))).to.equal(undefined);
  });

  it('fromSubdomain reads one label under the base domain, ignoring the port; other hosts name none', () => {
    const resolve = fromSubdomain('app.example.com');
    expect(resolve(request({ host: 'acme.app.example.com:8080' }))).to.equal('acme');
    expect(resolve(request({ host: 'ACME.App.Example.com' }))).to.equal('acme');
    expect(resolve(request({ host: 'app.example.com' }))).to.equal(undefined);
    expect(resolve(request({ host: 'a.b.app.example.com' }))).to.equal(undefined);
    expect(resolve(request({ host: 'acme.evil-app.example.com' }))).to.equal(undefined);
    expect(resolve(request({ host: 'acme.app.example.com.evil.org' }))).to.equal(undefined);
    expect(resolve(request({ host: 'app.example.com', 'x-forwarded-host': 'acme.app.example.com' }))).to.equal(undefined);
    expect(fromSubdomain('app.example.com', { forwarded: true })(request({ host: 'proxy', 'x-forwarded-host': 'acme.app.example.com' }))).to.equal('acme');
  });

  it('fromPathParam reads a matched route parameter, else a path segment when given', () => {
    expect(fromPathParam('tenant')(request({}, '/x', { tenant: 'acme' }))).to.equal('acme');
    expect(fromPathParam('solution', 1)(request({}, '/t/acme/orders?page=2'))).to.equal('acme');
    expect(fromPathParam('solution')(request({}, '/t/acme/orders'))).to.equal(undefined);
  });

  it('anyOf takes the first resolver that names a solution', async () => {
    const resolve = anyOf(fromHeader(), fromSubdomain('app.example.com'));
    expect(await resolve(request({ host: 'acme.app.example.com' }))).to.equal('acme');
    expect(await resolve(request({ host: 'acme.app.example.com', 'x-solution': 'beta' }))).to.equal('beta');
    expect(await resolve(request({}))).to.equal(undefined);
  });
});
