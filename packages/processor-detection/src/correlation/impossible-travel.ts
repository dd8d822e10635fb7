import { z } from 'zod';
import type { Correlate } from '../rules/rule-schema.js';
import type { Correlator } from './correlators.js';
import { greatCircleKm, isCoordinate } from './geo.js';
import type { CorrelationItem, Fire } from './item.js';

type TravelSpec = Extract<Correlate, { type: 'impossible_travel' }>;

/** What impossible_travel keeps of a sign-in: where (lat, lon), whether through a proxy, a place name and the address. */
export type TravelFacts = [lat: number, lon: number, proxy: 0 | 1, place: string, address: string];

export const travelFactsSchema = z.tuple([z.number(), z.number(), z.union([z.literal(0), z.literal(1)]), z.string(), z.string()]);

/** Reads the facts of an event; null without a usable geolocation. */
export function travelFacts(event: unknown): TravelFacts | null {
  const e = event as {
    client?: { ipAddress?: unknown; geographicalContext?: { city?: unknown; country?: unknown; geolocation?: { lat?: unknown; lon?: unknown } } };
    securityContext?: { isProxy?: unknown };
    debugContext?: { debugData?: { tunnels?: unknown } };
  } | null;
  const geo = e?.client?.geographicalContext;
  const lat = geo?.geolocation?.lat;
  const lon = geo?.geolocation?.lon;
  if (!isCoordinate(lat, lon)) return null;
  const tunnels = e?.debugContext?.debugData?.tunnels;
  // Okta flags anonymizers in securityContext.isProxy, and names VPN/Tor/proxy tunnels in debugData.tunnels.
  const proxy = e?.securityContext?.isProxy === true || (typeof tunnels === 'string' && tunnels.trim() !== '' && tunnels.trim() !== '[]');
  const place = [geo?.city, geo?.country]
    .filter((p): p is string => typeof p === 'string' && p !== '' && p.toLowerCase() !== 'unknown' && p.toLowerCase() !== 'null')
    .join(', ');
  const address = typeof e?.client?.ipAddress === 'string' ? e.client.ipAddress : '';
  return [lat, lon as number, proxy ? 1 : 0, place, address];
}

function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * impossible_travel for one entity: its last located sign-in (time, place, uuid), nothing more
 * (about 200 bytes). A sign-in at least min_distance_km from the last one, reached faster than
 * max_speed_kmh, alerts with both places, the distance and the speed; the new sign-in becomes
 * the last one either way. Sign-ins through a proxy are skipped (their place is the proxy's).
 */
export class ImpossibleTravelCorrelator implements Correlator {
  key = '';
  ms = Number.NEGATIVE_INFINITY;
  lat = 0;
  lon = 0;
  place = '';
  address = '';
  uuid = '';

  constructor(readonly spec: TravelSpec) {}

  add(item: CorrelationItem): Fire | undefined {
    const facts = item.facts as TravelFacts | null;
    if (!facts) return undefined;
    const [lat, lon, proxy, place, address] = facts;
    if (proxy === 1 && this.spec.ignore_proxies) return undefined;
    let fire: Fire | undefined;
    const elapsed = Math.abs(item.ms - this.ms);
    if (Number.isFinite(this.ms) && elapsed <= this.spec.window) {
      const km = greatCircleKm(this.lat, this.lon, lat, lon);
      const speed = elapsed === 0 ? Number.POSITIVE_INFINITY : km / (elapsed / 3_600_000);
      if (km >= this.spec.min_distance_km && speed > this.spec.max_speed_kmh) {
        const [first, second] =
          item.ms >= this.ms
            ? [
                { place: this.place, address: this.address, ms: this.ms, uuid: this.uuid },
                { place, address, ms: item.ms, uuid: item.uuid },
              ]
            : [
                { place, address, ms: item.ms, uuid: item.uuid },
                { place: this.place, address: this.address, ms: this.ms, uuid: this.uuid },
              ];
        const kmh = Number.isFinite(speed) ? Math.round(speed) : -1;
        fire = {
          groupKey: item.groupKey,
          count: 2,
          firstMs: first.ms,
          lastMs: second.ms,
          uuids: [first.uuid, second.uuid],
          attributes: {
            'oktel.alert.travel.distance_km': Math.round(km),
            'oktel.alert.travel.elapsed_s': Math.round(elapsed / 1000),
            'oktel.alert.travel.speed_kmh': kmh,
            'oktel.alert.travel.from.place': first.place,
            'oktel.alert.travel.from.address': first.address,
            'oktel.alert.travel.to.place': second.place,
            'oktel.alert.travel.to.address': second.address,
          },
          summary: `${first.place || first.address || 'somewhere'} to ${second.place || second.address || 'somewhere'}: ${Math.round(km)} km in ${duration(elapsed)}${kmh >= 0 ? ` (${kmh} km/h)` : ' (at the same time)'}`,
        };
      }
    }
    if (item.ms >= this.ms) Object.assign(this, { ms: item.ms, lat, lon, place, address, uuid: item.uuid });
    return fire;
  }

  deadline(): number {
    return this.ms + this.spec.window;
  }

  expire(watermark: number) {
    return { done: this.ms + this.spec.window < watermark };
  }

  finish(): undefined {
    return undefined;
  }

  snapshot() {
    return { ms: Number.isFinite(this.ms) ? this.ms : null, lat: this.lat, lon: this.lon, place: this.place, address: this.address, uuid: this.uuid };
  }

  static readonly state = z.strictObject({
    ms: z.number().nullable(),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    place: z.string(),
    address: z.string(),
    uuid: z.string(),
  });

  restore(state: z.output<typeof ImpossibleTravelCorrelator.state>): void {
    Object.assign(this, { ...state, ms: state.ms ?? Number.NEGATIVE_INFINITY });
  }
}
