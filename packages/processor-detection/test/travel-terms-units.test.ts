import { expect } from 'chai';
import { greatCircleKm, isCoordinate } from '../src/correlation/geo.js';
import { ImpossibleTravelCorrelator, travelFacts, type TravelFacts } from '../src/correlation/impossible-travel.js';
import type { CorrelationItem } from '../src/correlation/item.js';
import { NewTermsCorrelator, termOf } from '../src/correlation/new-terms.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const BERLIN: TravelFacts = [52.52, 13.405, 0, 'Berlin, Germany', '198.51.100.1'];
const TOKYO: TravelFacts = [35.6762, 139.6503, 0, 'Tokyo, Japan', '203.0.113.9'];
const POTSDAM: TravelFacts = [52.39, 13.06, 0, 'Potsdam, Germany', '198.51.100.2'];
const item = (ms: number, uuid: string, facts: unknown): CorrelationItem => ({ ms, uuid, groupKey: 'k', facts, entities: undefined, bytes: 0 });
const BERLIN_TOKYO_KM = greatCircleKm(BERLIN[0], BERLIN[1], TOKYO[0], TOKYO[1]);

describe('geo coordinates', () => {
  it('takes finite numbers within ±90 latitude and ±180 longitude, including the bounds, for a coordinate', () => {
    expect([isCoordinate(90, 180), isCoordinate(-90, -180), isCoordinate(0, 5), isCoordinate(5, 0)]).to.deep.equal([true, true, true, true]);
  });

  it('refuses non-numbers, non-finite values, values beyond the bounds and 0/0', () => {
    const refused: [unknown, unknown][] = [
      ['1', 2],
      [1, '2'],
      [Number.NaN, 1],
      [1, Number.POSITIVE_INFINITY],
      [90.0001, 0],
      [0, 180.0001],
      [0, 0],
    ];
    expect(refused.map(([lat, lon]) => isCoordinate(lat, lon))).to.deep.equal(refused.map(() => false));
  });

  it('measures the great-circle distance in km', () => {
    expect(Math.round(BERLIN_TOKYO_KM)).to.equal(8916);
    expect(greatCircleKm(10, 20, 10, 20)).to.equal(0);
  });
});

describe('impossible_travel facts of an event', () => {
  const at = (client: unknown, extra: Record<string, unknown> = {}) => travelFacts({ client, ...extra });
  const geo = { city: 'Berlin', country: 'Germany', geolocation: { lat: 52.52, lon: 13.405 } };

  it('has none without a usable geolocation', () => {
    expect([
      travelFacts(null),
      travelFacts({}),
      at({}),
      at({ geographicalContext: {} }),
      at({ geographicalContext: { geolocation: { lat: 0, lon: 0 } } }),
    ]).to.deep.equal([null, null, null, null, null]);
  });

  it('reads the place, the address and no proxy', () => {
    expect(at({ ipAddress: '198.51.100.1', geographicalContext: geo }, { debugContext: {} })).to.deep.equal([
      52.52,
      13.405,
      0,
      'Berlin, Germany',
      '198.51.100.1',
    ]);
  });

  it("leaves out Okta's placeholders for a place and a non-string address", () => {
    const facts = (city: unknown, country: unknown) => at({ ipAddress: 7, geographicalContext: { ...geo, city, country } });
    expect(facts('Unknown', 'NULL')).to.deep.equal([52.52, 13.405, 0, '', '']);
    expect(facts('', 'Germany')![3]).to.equal('Germany');
    expect(facts(42, 'Germany')![3]).to.equal('Germany');
  });

  it('takes a sign-in flagged isProxy, or naming a tunnel, for a proxied one; blank and empty tunnel lists are none', () => {
    const proxy = (extra: Record<string, unknown>) => at({ geographicalContext: geo }, extra)![2];
    expect([
      proxy({ securityContext: { isProxy: true } }),
      proxy({ debugContext: { debugData: { tunnels: '[{"operator":"VPN"}]' } } }),
      proxy({ debugContext: { debugData: { tunnels: '   ' } } }),
      proxy({ debugContext: { debugData: { tunnels: ' [] ' } } }),
      proxy({ securityContext: { isProxy: false } }),
    ]).to.deep.equal([1, 1, 0, 0, 0]);
  });
});

describe('impossible_travel correlator', () => {
  const spec = (over: Record<string, unknown> = {}) =>
    ({ type: 'impossible_travel', window: HOUR, max_speed_kmh: 1000, min_distance_km: 100, ignore_proxies: true, ...over }) as never;

  it('alerts at exactly the window apart, with distance, elapsed time, speed and both places', () => {
    const c = new ImpossibleTravelCorrelator(spec());
    expect(c.add(item(0, 'u-1', BERLIN))).to.equal(undefined);
    const fire = c.add(item(HOUR, 'u-2', TOKYO))!;
    expect(fire).to.deep.equal({
      groupKey: 'k',
      count: 2,
      firstMs: 0,
      lastMs: HOUR,
      uuids: ['u-1', 'u-2'],
      attributes: {
        'oktel.alert.travel.distance_km': 8916,
        'oktel.alert.travel.elapsed_s': 3600,
        'oktel.alert.travel.speed_kmh': 8916,
        'oktel.alert.travel.from.place': 'Berlin, Germany',
        'oktel.alert.travel.from.address': '198.51.100.1',
        'oktel.alert.travel.to.place': 'Tokyo, Japan',
        'oktel.alert.travel.to.address': '203.0.113.9',
      },
      summary: 'Berlin, Germany to Tokyo, Japan: 8916 km in 1.0 h (8916 km/h)',
    });
  });

  it('forgets a sign-in more than the window ago', () => {
    const c = new ImpossibleTravelCorrelator(spec());
    c.add(item(0, 'u-1', BERLIN));
    expect(c.add(item(HOUR + 1, 'u-2', TOKYO))).to.equal(undefined);
  });

  it('alerts at exactly min_distance_km, and not at exactly max_speed_kmh', () => {
    const atDistance = new ImpossibleTravelCorrelator(spec({ min_distance_km: BERLIN_TOKYO_KM }));
    atDistance.add(item(0, 'u-1', BERLIN));
    expect(atDistance.add(item(HOUR, 'u-2', TOKYO))).to.not.equal(undefined);
    const atSpeed = new ImpossibleTravelCorrelator(spec({ max_speed_kmh: BERLIN_TOKYO_KM }));
    atSpeed.add(item(0, 'u-1', BERLIN));
    expect(atSpeed.add(item(HOUR, 'u-2', TOKYO))).to.equal(undefined);
  });

  it('names the time in seconds under a minute and in minutes under an hour', () => {
    const summary = (elapsed: number) => {
      const c = new ImpossibleTravelCorrelator(spec({ window: DAY }));
      c.add(item(0, 'u-1', BERLIN));
      return c.add(item(elapsed, 'u-2', TOKYO))!.summary;
    };
    expect(summary(30_000)).to.match(/ in 30 s \(/);
    expect(summary(60_000)).to.match(/ in 1 min \(/);
    expect(summary(HOUR - 60_000)).to.match(/ in 59 min \(/);
    expect(summary(HOUR)).to.match(/ in 1\.0 h \(/);
  });

  it('reports two sign-ins at the same time in arrival order, at no speed, and keeps the later one as the last', () => {
    const c = new ImpossibleTravelCorrelator(spec());
    c.add(item(1000, 'u-1', BERLIN));
    const fire = c.add(item(1000, 'u-2', TOKYO))!;
    expect([fire.uuids, fire.attributes!['oktel.alert.travel.speed_kmh'], fire.summary]).to.deep.equal([
      ['u-1', 'u-2'],
      -1,
      'Berlin, Germany to Tokyo, Japan: 8916 km in 0 s (at the same time)',
    ]);
    // Tokyo is now the last sign-in: Potsdam a minute later is from Tokyo, not from Berlin.
    expect(c.add(item(61_000, 'u-3', POTSDAM))!.attributes!['oktel.alert.travel.from.place']).to.equal('Tokyo, Japan');
  });

  it('orders an earlier sign-in arriving late first, and keeps the latest sign-in as the last', () => {
    const c = new ImpossibleTravelCorrelator(spec());
    c.add(item(HOUR / 2, 'u-1', TOKYO));
    const fire = c.add(item(0, 'u-2', BERLIN))!;
    expect([fire.uuids, fire.firstMs, fire.lastMs, fire.attributes!['oktel.alert.travel.from.place']]).to.deep.equal([
      ['u-2', 'u-1'],
      0,
      HOUR / 2,
      'Berlin, Germany',
    ]);
    expect([c.uuid, c.place, c.deadline()]).to.deep.equal(['u-1', 'Tokyo, Japan', HOUR / 2 + HOUR]);
  });

  it('is done once the watermark passes the last sign-in plus the window', () => {
    const c = new ImpossibleTravelCorrelator(spec());
    c.add(item(1000, 'u-1', BERLIN));
    expect(c.expire(1000 + HOUR)).to.deep.equal({ done: false });
    expect(c.expire(1001 + HOUR)).to.deep.equal({ done: true });
    expect(c.finish()).to.equal(undefined);
  });
});

describe('new_terms terms', () => {
  it('takes a scalar for a term, and an absent or non-scalar value for none', () => {
    expect([termOf(['a']), termOf([1]), termOf([true]), termOf(['a', 2])]).to.deep.equal(['a', '1', 'true', '["a","2"]']);
    expect([termOf([null]), termOf([undefined]), termOf([{}]), termOf(['a', null])]).to.deep.equal([null, null, null, null]);
  });
});

describe('new_terms correlator', () => {
  const spec = (over: Record<string, unknown> = {}) =>
    ({ type: 'new_terms', fields: ['country'], history_window: 30 * DAY, learning_period: 0, max_terms_per_entity: 100, ...over }) as never;

  it('alerts on a new term with the term, the fields and the other known terms', () => {
    const c = new NewTermsCorrelator(spec({ fields: ['country', 'os'] }), { since: null });
    c.add(item(0, 'u-1', '["Germany","Mac"]'));
    expect(c.add(item(DAY, 'u-2', '["Brazil","Mac"]'))).to.deep.equal({
      groupKey: 'k',
      count: 1,
      firstMs: DAY,
      lastMs: DAY,
      uuids: ['u-2'],
      terms: { country: 'Brazil', os: 'Mac' },
      attributes: {
        'oktel.alert.new_terms.fields': ['country', 'os'],
        'oktel.alert.new_terms.values': ['Brazil', 'Mac'],
        'oktel.alert.new_terms.known_terms': 1,
      },
      summary: 'first seen with country=Brazil, os=Mac within 30d (1 other known)',
    });
  });

  it('learns from the earliest event seen, even one arriving late, until exactly the end of the learning period', () => {
    const clock = { since: null as number | null };
    const c = new NewTermsCorrelator(spec({ learning_period: 7 * DAY }), clock);
    c.add(item(5 * DAY, 'u-1', 'Germany'));
    c.add(item(0, 'u-2', 'France'));
    expect(clock.since).to.equal(0);
    expect(c.add(item(7 * DAY - 1, 'u-3', 'Spain'))).to.equal(undefined);
    expect(c.add(item(7 * DAY, 'u-4', 'Brazil'))!.uuids).to.deep.equal(['u-4']);
  });

  it('keeps the latest time a term was seen, even when an older sighting arrives late', () => {
    const c = new NewTermsCorrelator(spec(), { since: 0 });
    c.add(item(10 * DAY, 'u-1', 'Germany'));
    c.add(item(2 * DAY, 'u-2', 'Germany'));
    expect(c.add(item(35 * DAY, 'u-3', 'Germany'))).to.equal(undefined);
    expect(c.deadline()).to.equal(35 * DAY + 30 * DAY);
  });

  it('forgets the least recently seen term beyond max_terms_per_entity, counting it, and a term seen again counts as recent', () => {
    let evicted = 0;
    const c = new NewTermsCorrelator(spec({ max_terms_per_entity: 2 }), { since: 0 }, () => evicted++);
    c.add(item(0, 'u-1', 'A'));
    c.add(item(1, 'u-2', 'B'));
    c.add(item(2, 'u-3', 'A'));
    c.add(item(3, 'u-4', 'C'));
    expect(evicted).to.equal(1);
    expect([...c.terms.keys()]).to.deep.equal(['A', 'C']);
    expect(c.add(item(4, 'u-5', 'A'))).to.equal(undefined);
    const quiet = new NewTermsCorrelator(spec({ max_terms_per_entity: 1 }), { since: 0 });
    quiet.add(item(0, 'u-1', 'A'));
    quiet.add(item(1, 'u-2', 'B'));
    expect([...quiet.terms.keys()]).to.deep.equal(['B']);
  });

  it('forgets terms last seen before the history window and is done with the last one', () => {
    const c = new NewTermsCorrelator(spec(), { since: 0 });
    c.add(item(0, 'u-1', 'A'));
    c.add(item(DAY, 'u-2', 'B'));
    expect(c.expire(30 * DAY)).to.deep.equal({ done: false });
    expect([...c.terms.keys()]).to.deep.equal(['A', 'B']);
    expect(c.expire(30 * DAY + 1)).to.deep.equal({ done: false });
    expect([...c.terms.keys()]).to.deep.equal(['B']);
    expect(c.expire(31 * DAY + 1)).to.deep.equal({ done: true });
    expect(c.finish()).to.equal(undefined);
  });

  it('restores at most max_terms_per_entity terms, the most recent, and the newest time', () => {
    const c = new NewTermsCorrelator(spec({ max_terms_per_entity: 2 }), { since: 0 });
    c.restore({
      terms: [
        ['A', 0],
        ['B', 5 * DAY],
        ['C', 3 * DAY],
      ],
    });
    expect([...c.terms]).to.deep.equal([
      ['B', 5 * DAY],
      ['C', 3 * DAY],
    ]);
    expect(c.deadline()).to.equal(5 * DAY + 30 * DAY);
  });
});
