import { expect } from 'chai';
import { compile, MAX_SEARCH_DEPTH, MAX_SEARCH_VALUES, searchValues } from '@oktel/jsonlogic';

const event = {
  eventType: 'user.session.start',
  target: [{ type: 'AppInstance', displayName: 'Salesforce' }],
  debugContext: { debugData: { requestUri: '/api/v1/authn', deviceFingerprint: 'A1B2' } },
  client: { geographicalContext: { geolocation: { lat: 52.52, lon: 13.405 } } },
};
const search = (needle: string, mode?: string): unknown => compile({ search: [{ var: '' }, needle, ...(mode ? [mode] : [])] })(event);

describe('jsonlogic: search (whole-event keyword)', () => {
  it('finds a substring in any string value, however deep, inside arrays too, case-insensitively', () => {
    expect(search('SALESFORCE')).to.equal(true);
    expect(search('api/v1/AUTHN')).to.equal(true);
    expect(search('a1b2')).to.equal(true);
    expect(search('okta admin console')).to.equal(false);
  });

  it('finds numbers as text, and respects "cased"', () => {
    expect(search('52.52')).to.equal(true);
    expect(search('a1b2', 'cased')).to.equal(false);
    expect(search('A1B2', 'cased')).to.equal(true);
  });

  it('does not search keys, and is false for a needle that is not text', () => {
    expect(search('deviceFingerprint')).to.equal(false);
    expect(compile({ search: [{ var: '' }, null] })(event)).to.equal(false);
  });

  it('walks without recursion: a 100 000-level object neither throws nor is searched past the depth bound', () => {
    let deep: Record<string, unknown> = { text: 'needle' };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    expect(() => searchValues(deep, 'needle')).to.not.throw();
    expect(searchValues(deep, 'needle')).to.equal(false);
    let shallow: Record<string, unknown> = { text: 'needle' };
    for (let i = 0; i < MAX_SEARCH_DEPTH - 2; i++) shallow = { next: shallow };
    expect(searchValues(shallow, 'needle')).to.equal(true);
  });

  it('visits at most MAX_SEARCH_VALUES values', () => {
    const wide = Array.from({ length: MAX_SEARCH_VALUES + 10 }, () => 'x');
    wide.push('needle');
    expect(searchValues(wide, 'needle')).to.equal(false);
    expect(searchValues(['needle', ...wide.slice(0, 5)], 'needle')).to.equal(true);
  });
});
