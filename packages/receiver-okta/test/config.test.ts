import { expect } from 'chai';
import { oktaReceiverConfigSchema, parseOrgUrl } from '@oktel/receiver-okta';

const issues = (config: Record<string, unknown>) => {
  const result = oktaReceiverConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('okta receiver: config', () => {
  it('applies the documented defaults', () => {
    const config = oktaReceiverConfigSchema.parse({ domain: 'acme.okta.com', auth: { api_token: 'x'.repeat(20) } });
    expect(config).to.deep.include({ since: 86_400_000, poll_interval: 10_000, page_size: 1000, filter: '', timeout: 30_000, service_name: 'okta' });
    expect(config.rate_limit).to.deep.equal({ max_share: 0.5 });
    expect(config.retry).to.deep.equal({ initial_interval: 1000, max_interval: 60_000, auth_failure_interval: 300_000 });
  });

  it('accepts plain http only for loopback addresses', () => {
    expect(parseOrgUrl('acme.okta.com')).to.be.instanceOf(URL);
    expect(String(parseOrgUrl('acme.okta.com'))).to.equal('https://acme.okta.com/');
    expect(parseOrgUrl('http://127.0.0.1:8080')).to.be.instanceOf(URL);
    expect(parseOrgUrl('http://localhost:8080')).to.be.instanceOf(URL);
    expect(parseOrgUrl('http://acme.okta.com')).to.equal('plain http is allowed only for loopback addresses; use https://acme.okta.com');
    expect(parseOrgUrl('http://10.0.0.5')).to.be.a('string');
    expect(parseOrgUrl('https://acme.okta.com/api/v1')).to.equal('give the org only (acme.okta.com), without a path');
  });

  it('requires exactly one way to authenticate', () => {
    expect(issues({ domain: 'acme.okta.com', auth: {} })).to.deep.equal(['auth: set auth.api_token or auth.oauth']);
    expect(issues({ domain: 'acme.okta.com', auth: { api_token: 'abc', oauth: { client_id: 'c', private_key: 'k' } } })).to.deep.equal([
      'auth: set only one of auth.api_token and auth.oauth',
    ]);
    expect(issues({ domain: 'acme.okta.com', auth: { oauth: { client_id: 'c' } } })).to.deep.equal(['auth.oauth: set private_key_file or private_key']);
  });

  it('rejects out-of-range values with their key', () => {
    expect(issues({ domain: 'acme.okta.com', auth: { api_token: 't' }, page_size: 5000 })[0]).to.match(/^page_size: /);
    expect(issues({ domain: 'acme.okta.com', auth: { api_token: 't' }, rate_limit: { max_share: 0 } })[0]).to.match(/^rate_limit\.max_share: /);
    expect(issues({ domain: 'acme.okta.com', auth: { api_token: 't' }, since: '200d' })).to.deep.equal([
      'since: Okta rejects a since more than 180 days back (and keeps 90 days)',
    ]);
  });
});
