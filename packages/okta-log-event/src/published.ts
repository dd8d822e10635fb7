/**
 * Okta's `published` is ISO 8601 in UTC ("2026-11-20T14:03:27.481Z"). Replays and other tools
 * write it without the zone ("2026-11-20T14:03:27.481", Panther's "2026-11-20 14:03:27.481"),
 * which `Date.parse` reads in the host's local zone: the same file would then land hours apart
 * on two machines. A timestamp without a zone is UTC, as Okta's contract says; one with an
 * explicit offset keeps it; anything that is not an ISO date-time is refused (NaN).
 */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch of an Okta `published` value, NaN when it is not an ISO date-time. */
export function publishedMillis(published: string): number {
  const match = ISO_DATE_TIME.exec(published.trim());
  if (!match) return Number.NaN;
  const [, date, time, zone] = match as unknown as [string, string, string, string | undefined];
  // Date.parse accepts at most millisecond digits reliably; keep three.
  const clock = time.replace(',', '.').replace(/(\.\d{3})\d+$/, '$1');
  const offset =
    zone === undefined || zone.toUpperCase() === 'Z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return Date.parse(`${date}T${clock}${offset}`);
}
