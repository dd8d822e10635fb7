import { expect } from 'chai';
import { formatDuration, parseDuration, parseSize } from '@oktel/core';

describe('config units', () => {
  it('parses Go-style durations to milliseconds', () => {
    expect(parseDuration('500ms')).to.equal(500);
    expect(parseDuration('10s')).to.equal(10_000);
    expect(parseDuration('5m')).to.equal(300_000);
    expect(parseDuration('1h30m')).to.equal(5_400_000);
    expect(parseDuration('1.5s')).to.equal(1500);
    expect(parseDuration('0')).to.equal(0);
    expect(parseDuration('24h')).to.equal(86_400_000);
  });

  it('rejects durations without a unit or with junk', () => {
    for (const bad of ['10', '10x', 's', '', '5m junk', '-1s']) expect(parseDuration(bad), bad).to.equal(undefined);
  });

  it('formats durations back to the largest whole unit', () => {
    expect(formatDuration(90_000)).to.equal('90s');
    expect(formatDuration(3_600_000)).to.equal('1h');
    expect(formatDuration(250)).to.equal('250ms');
  });

  it('parses binary and decimal sizes', () => {
    expect(parseSize('64MiB')).to.equal(64 * 1024 * 1024);
    expect(parseSize('512KiB')).to.equal(512 * 1024);
    expect(parseSize('1GB')).to.equal(1e9);
    expect(parseSize('1024')).to.equal(1024);
    expect(parseSize('12 parsecs')).to.equal(undefined);
  });
});
