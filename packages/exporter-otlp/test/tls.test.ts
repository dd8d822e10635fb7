import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { otlpHttpConfigSchema, OtlpHttpExporter, tlsOptions } from '@oktel/exporter-otlp';
import { tempDir, testHost, testSettings, waitForCount, waitUntil } from '@oktel/testkit';
import { records } from './records.js';

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makePki(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=oktel test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${who}`, '-keyout', file(`${who}.key`), '-out', file(`${who}.csr`));
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${who}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      file(`${who}.pem`),
      ...(who === 'server' ? ['-extfile', file('server.ext')] : []),
    );
  }
  return { ca: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key'), clientCert: file('client.pem'), clientKey: file('client.key') };
}

describe('otlp_http TLS', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  let pki: ReturnType<typeof makePki>;
  let server: Server;
  let received: { clientCN: string | undefined }[];
  before(() => {
    dir = tempDir();
    pki = makePki(dir.path);
  });
  after(() => dir.cleanup());
  beforeEach(async () => {
    received = [];
    // A backend that requires a client certificate signed by the test CA (mutual TLS).
    server = createServer(
      { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.ca), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        req.resume();
        req.on('end', () => {
          const peer = (req.socket as unknown as { getPeerCertificate(): { subject?: { CN?: string } } }).getPeerCertificate();
          received.push({ clientCN: peer.subject?.CN });
          res.writeHead(200).end();
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const url = () => `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;

  function exporter(tls: Record<string, unknown>) {
    const settings = testSettings('exporter', 'otlp_http');
    const config = otlpHttpConfigSchema.parse({
      logs_endpoint: url(),
      encoding: 'json',
      headers: { authorization: 'Bearer s3cret' },
      tls,
      retry_on_failure: { initial_interval: '50ms', max_interval: '100ms' },
      sending_queue: { drain_timeout: '500ms' },
      batch: { flush_timeout: '10ms' },
    });
    return { settings, exporter: new OtlpHttpExporter(settings, config) };
  }

  it('trusts a private CA from ca_file and presents the client certificate from cert_file/key_file', async () => {
    const { exporter: e, settings } = exporter({ ca_file: pki.ca, cert_file: pki.clientCert, key_file: pki.clientKey });
    await e.start(testHost());
    await e.consume(records(2));
    await waitForCount(settings, 'sent_log_records', 2, 10_000);
    await e.shutdown();
    expect(received).to.deep.equal([{ clientCN: 'client' }]);
  });

  it('is refused by a server requiring mTLS when no client certificate is configured', async () => {
    const { exporter: e, settings } = exporter({ ca_file: pki.ca });
    await e.start(testHost());
    await e.consume(records(1));
    await waitUntil(
      () => settings.logs.text.includes('Export failed'),
      10_000,
      () => 'a failed handshake',
    );
    await e.shutdown();
    expect(received).to.have.length(0);
  });

  it('does not trust the private CA without ca_file', async () => {
    const { exporter: e, settings } = exporter({ cert_file: pki.clientCert, key_file: pki.clientKey });
    await e.start(testHost());
    await e.consume(records(1));
    await waitUntil(
      () => settings.logs.text.includes('Export failed'),
      10_000,
      () => 'an untrusted certificate',
    );
    await e.shutdown();
    expect(received).to.have.length(0);
    expect(settings.logs.text).to.not.contain('s3cret');
  });

  it('adds ca_file to the system CAs instead of replacing them', () => {
    const options = tlsOptions(otlpHttpConfigSchema.parse({ logs_endpoint: 'https://example.com', tls: { ca_file: pki.ca } }).tls);
    expect(options.ca).to.include.members([...rootCertificates]);
    expect(options.ca).to.include(readFileSync(pki.ca, 'utf8'));
  });

  it('names a TLS file that does not exist at load', () => {
    const parsed = otlpHttpConfigSchema.safeParse({ logs_endpoint: 'https://example.com', tls: { ca_file: join(dir.path, 'missing.pem') } });
    expect(parsed.success).to.equal(false);
    expect(parsed.error!.issues[0]!.path).to.deep.equal(['tls', 'ca_file']);
    expect(parsed.error!.issues[0]!.message).to.contain('file not found');
  });

  it('refuses half an mTLS pair at load', () => {
    const parsed = otlpHttpConfigSchema.safeParse({ logs_endpoint: 'https://example.com', tls: { cert_file: pki.clientCert } });
    expect(parsed.success).to.equal(false);
    expect(JSON.stringify(parsed.error?.issues)).to.contain('key_file');
  });
});

describe('otlp_http credentials over plain http', () => {
  const parse = (input: Record<string, unknown>) => otlpHttpConfigSchema.safeParse(input);

  it('refuses headers over http:// to a non-loopback host, naming the headers but not their values', () => {
    const parsed = parse({ endpoint: 'http://collector.example.com:4318', headers: { 'dd-api-key': 'k-123', Authorization: 'Bearer t' } });
    expect(parsed.success).to.equal(false);
    const message = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(message).to.contain('headers: refusing to send headers (dd-api-key, Authorization) in clear text over http:// to collector.example.com:4318');
    expect(message).to.not.contain('k-123');
  });

  it('allows them with tls.insecure: true, over https, or to loopback', () => {
    expect(parse({ endpoint: 'http://collector.example.com:4318', headers: { 'dd-api-key': 'k' }, tls: { insecure: true } }).success).to.equal(true);
    expect(parse({ endpoint: 'https://collector.example.com', headers: { 'dd-api-key': 'k' } }).success).to.equal(true);
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.1.2.3'])
      expect(parse({ endpoint: `http://${host}:4318`, headers: { 'dd-api-key': 'k' } }).success, host).to.equal(true);
    expect(parse({ endpoint: 'http://collector.example.com:4318' }).success).to.equal(true);
  });
});
