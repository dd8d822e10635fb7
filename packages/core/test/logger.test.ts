import { expect } from 'chai';
import { createLogger, MemoryLogSink, redact } from '@oktel/core';

describe('logger', () => {
  it('writes one line per message at or above its level, with level, component and key=value fields', () => {
    const sink = new MemoryLogSink();
    const logger = createLogger({ sink, level: 'warn' }).child('receiver/okta');
    logger.debug('d');
    logger.info('i');
    logger.warn('slow', { after: '5s', n: 3, ok: false, none: null, skipped: undefined, said: 'a "b"=c' });
    logger.error('down');
    expect(sink.lines).to.have.length(2);
    expect(sink.lines[0]).to.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z warn {2}receiver\/okta: slow after=5s n=3 ok=false none=null said="a \\"b\\"=c"\n$/);
    expect(sink.lines[1]).to.match(/ error receiver\/okta: down\n$/);
    expect(sink.text).to.equal(sink.lines.join(''));
  });

  it('logs info and above by default, debug only when asked', () => {
    const quiet = new MemoryLogSink();
    const q = createLogger({ sink: quiet });
    q.debug('d');
    q.info('i');
    const verbose = new MemoryLogSink();
    createLogger({ sink: verbose, level: 'debug' }).debug('d');
    expect(quiet.lines.map((l) => l.split(' ')[1])).to.deep.equal(['info']);
    expect(verbose.lines).to.have.length(1);
    expect(quiet.text).to.not.match(/: /);
  });
});

describe('redact', () => {
  const token = '00Abc-Okta_Token+/with=Symbols9';

  it('replaces every occurrence, the longest secret first, and leaves text without secrets alone', () => {
    const secrets = new Set(['abcd', 'abcdefgh']);
    expect(redact('x abcdefgh y abcd z abcdefgh', secrets)).to.equal('x [REDACTED] y [REDACTED] z [REDACTED]');
    expect(redact('nothing here', secrets)).to.equal('nothing here');
    expect(redact(`t ${token}`, undefined)).to.equal(`t ${token}`);
    expect(redact(`t ${token}`, new Set())).to.equal(`t ${token}`);
  });

  it('does not redact secrets shorter than 4 characters (they would blank ordinary words)', () => {
    expect(redact('a cat sat', new Set(['a', 'at']))).to.equal('a cat sat');
  });

  it('picks up a secret added to the set after the first use', () => {
    const secrets = new Set([token]);
    expect(redact(`${token} late-secret`, secrets)).to.equal('[REDACTED] late-secret');
    secrets.add('late-secret');
    expect(redact(`${token} late-secret`, secrets)).to.equal('[REDACTED] [REDACTED]');
  });

  it('leaves no run of a base64-encoded credential that carries the secret, at any offset', () => {
    const secrets = new Set([token]);
    for (const prefix of ['', 'u:', 'us:', 'use:', 'SSWS ']) {
      const encoded = Buffer.from(`${prefix}${token}:trailer`).toString('base64');
      const line = redact(`Authorization: Basic ${encoded}`, secrets);
      // 12 characters from inside the part of the encoding made only of the secret's bytes.
      const start = Math.ceil((prefix.length * 4) / 3) + 4;
      const inside = encoded.slice(start, start + 12);
      expect(line, prefix).to.contain('[REDACTED]');
      expect(line, prefix).to.not.contain(inside);
    }
  });

  it('replaces a secret standing alone in base64, base64url, URL and JSON escaping', () => {
    const secrets = new Set([token]);
    for (const form of [
      Buffer.from(token).toString('base64'),
      Buffer.from(token).toString('base64url'),
      encodeURIComponent(token),
      JSON.stringify(token).slice(1, -1),
    ]) {
      expect(redact(`<${form}>`, secrets)).to.equal('<[REDACTED]>');
    }
  });
});
