import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { OktaSimulator } from '@oktel/okta-simulator';
import { tempDir, waitUntil } from '@oktel/testkit';
import { events, rsaKeyFiles, runPoller, simulator } from './helpers.js';

describe('okta receiver: OAuth 2.0 service app', () => {
  let sim: OktaSimulator;
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    await sim?.stop();
    dir.cleanup();
  });

  async function setup(requireDpop: boolean, scopes = ['okta.logs.read']) {
    const keys = rsaKeyFiles(dir.path);
    sim = await simulator({ clients: [{ clientId: '0oaservice', publicJwk: keys.publicJwk, scopes, requireDpop }] });
    sim.append(events(20));
    return keys;
  }

  const oauthConfig = (privateKeyFile: string, extra: Record<string, unknown> = {}) => ({
    auth: { oauth: { client_id: '0oaservice', private_key_file: privateKeyFile, key_id: 'test-key', ...extra } },
  });

  it('gets a token with a signed client assertion and polls with it (no DPoP)', async () => {
    const keys = await setup(false);
    const harness = runPoller(sim, oauthConfig(keys.privateKeyFile, { dpop: false }));
    await harness.waitFor(20);
    await harness.stop();
    const token = sim.requests.find((r) => r.path === '/oauth2/v1/token')!;
    expect(token.status).to.equal(200);
    expect(sim.logRequests()[0]!.authorization).to.match(/^Bearer /);
  });

  it('does the DPoP nonce round trip, then sends a fresh proof with every call', async () => {
    const keys = await setup(true);
    const harness = runPoller(sim, { ...oauthConfig(keys.privateKeyFile), page_size: 5 });
    await harness.waitFor(20);
    await harness.stop();
    const tokenCalls = sim.requests.filter((r) => r.path === '/oauth2/v1/token');
    expect(tokenCalls.map((r) => r.status)).to.deep.equal([400, 200]);
    // stop() may abandon a request the simulator is still verifying: judge the answered ones.
    const calls = sim.logRequests().filter((r) => r.answered);
    expect(calls.length).to.be.at.least(4);
    expect(calls.map((r) => r.status)).to.deep.equal(calls.map(() => 200));
    expect(sim.logRequests().every((r) => r.authorization?.startsWith('DPoP '))).to.equal(true);
  });

  it('refreshes an expired token and carries on', async () => {
    const keys = await setup(true);
    const harness = runPoller(sim, oauthConfig(keys.privateKeyFile));
    await harness.waitFor(20);
    sim.oauth.expireAllTokens();
    sim.append(events(5, Date.now()));
    await harness.waitFor(25);
    await harness.stop();
    expect(sim.oauth.tokensIssued).to.equal(2);
    expect(harness.logs.text).to.contain('fetching a new one');
  });

  it('refreshes a token before it expires', async () => {
    const keys = await setup(false);
    sim.oauth.tokenLifetimeSec = 1;
    const harness = runPoller(sim, { ...oauthConfig(keys.privateKeyFile, { dpop: false }), poll_interval: '100ms' });
    await harness.waitFor(20);
    await waitUntil(
      () => sim.oauth.tokensIssued >= 2 && sim.logRequests().filter((r) => r.answered).length >= 6,
      10_000,
      () => 'a second token and polls with it',
      10,
    );
    await harness.stop();
    expect(sim.oauth.tokensIssued).to.be.at.least(2);
    expect(sim.logRequests().filter((r) => r.status === 401)).to.have.length(0);
  });

  it('explains a scope that is not granted', async () => {
    const keys = await setup(false, ['okta.users.read']);
    const harness = runPoller(sim, oauthConfig(keys.privateKeyFile, { dpop: false }));
    await harness.waitForLog('The service app is not granted the requested scopes (400 invalid_scope');
    await harness.stop();
    expect(harness.logs.text).to.contain('The service app is not granted the requested scopes (400 invalid_scope');
    expect(harness.logs.text).to.contain('"Okta API Scopes" tab');
  });

  it('explains an unknown client or a key that does not match', async () => {
    await setup(false);
    const other = rsaKeyFiles(dir.path, 'not-the-registered-key.pem');
    const harness = runPoller(sim, oauthConfig(other.privateKeyFile, { dpop: false }));
    await harness.waitForLog('Okta did not accept the client credentials (401 invalid_client');
    await harness.stop();
    expect(harness.logs.text).to.contain('Okta did not accept the client credentials (401 invalid_client');
    expect(harness.logs.text).to.not.contain(readFileSync(other.privateKeyFile, 'utf8').split('\n')[1]!);
  });

  it('tells the user to turn DPoP on when the app requires it', async () => {
    const keys = await setup(true);
    const harness = runPoller(sim, oauthConfig(keys.privateKeyFile, { dpop: false }));
    await harness.waitForLog('The app requires DPoP (400 invalid_dpop_proof');
    await harness.stop();
    expect(harness.logs.text).to.contain('The app requires DPoP (400 invalid_dpop_proof');
    expect(harness.logs.text).to.contain('Set auth.oauth.dpop: true');
  });
});
