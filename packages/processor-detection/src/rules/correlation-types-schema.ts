import { z } from 'zod';
import { duration } from '@oktel/core';

/**
 * new_terms: the first time a value (or a combination of values) of `fields` is seen for the
 * entity (`group_by`) within `history_window`. Nothing alerts before `learning_period` of event
 * time has passed since the rule saw its first event (values seen then are learned silently).
 */
export const newTermsSchema = z.strictObject({
  type: z.literal('new_terms'),
  fields: z.array(z.string().min(1)).min(1).max(3, 'new_terms takes at most three fields (as Elastic does)'),
  history_window: duration(),
  learning_period: duration().prefault('7d'),
  /** Terms remembered per entity; the least recently seen is forgotten beyond it (and would alert again). */
  max_terms_per_entity: z.number().int().min(1).max(10_000).default(100),
});

/**
 * impossible_travel: between consecutive sign-ins of one entity (`group_by`, the user), the
 * great-circle distance between Okta's geolocations and the speed it implies. Alerts above
 * `max_speed_kmh` when the places are at least `min_distance_km` apart (geolocation of an address
 * is coarse: a city centroid, often a region's). Sign-ins Okta flags as coming through a proxy,
 * Tor or a VPN say nothing about where the user is: they are skipped.
 */
export const impossibleTravelSchema = z.strictObject({
  type: z.literal('impossible_travel'),
  /** Panther's standard rule uses 900 km/h (a commercial airliner's cruise speed); Datadog does not publish its threshold. */
  max_speed_kmh: z.number().positive().default(900),
  min_distance_km: z.number().nonnegative().default(500),
  /** How long the last sign-in is remembered: beyond this a gap explains any distance (20,000 km at 900 km/h is 22 h). */
  window: duration().prefault('24h'),
  ignore_proxies: z.boolean().default(true),
});
