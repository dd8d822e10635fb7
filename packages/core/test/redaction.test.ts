import { expect } from 'chai';
import { createLogger, MemoryLogSink } from '@oktel/core';

describe('log redaction', () => {
  const token = '00Abc-Okta_Token+/with=Symbols9';
  const logs = new MemoryLogSink();
  const logger = createLogger({ sink: logs, secrets: new Set([token]) });

  const leaks = (line: string): boolean => {
    const plain = line.includes(token);
    const b64 = line.includes(Buffer.from(token).toString('base64').slice(4, 24));
    const url = line.includes(encodeURIComponent(token));
    return plain || b64 || url;
  };

  it('replaces a secret in the message and in fields', () => {
    logs.lines.length = 0;
    logger.warn(`request failed with token ${token}`, { header: `SSWS ${token}` });
    expect(logs.text).to.contain('[REDACTED]');
    expect(leaks(logs.text)).to.equal(false);
  });

  it('replaces a secret echoed back in base64, alone or inside a Basic credential at any offset', () => {
    logs.lines.length = 0;
    logger.error(`server said: ${Buffer.from(token).toString('base64')}`);
    for (const prefix of ['u:', 'us:', 'use:', 'SSWS '])
      logger.error(`echoed Authorization: Basic ${Buffer.from(`${prefix}${token}:trailer`).toString('base64')}`);
    logger.error(`jwt part ${Buffer.from(token).toString('base64url')}`);
    expect(logs.lines).to.have.length(6);
    for (const line of logs.lines) expect(leaks(line), line).to.equal(false);
    for (const line of logs.lines) expect(line).to.contain('[REDACTED]');
  });

  it('replaces a secret echoed back URL-encoded or JSON-escaped', () => {
    logs.lines.length = 0;
    logger.error(`GET /cb?key=${encodeURIComponent(token)}&x=1`);
    logger.error(`body ${JSON.stringify({ key: `${token}"` })}`);
    for (const line of logs.lines) expect(leaks(line), line).to.equal(false);
    expect(logs.text.match(/\[REDACTED\]/g)).to.have.length(2);
  });
});
