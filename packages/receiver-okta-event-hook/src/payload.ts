import { logEventProblem, type OktaLogEvent } from '@oktel/okta-log-event';
import { PermanentError } from '@oktel/core';

export interface HookDelivery {
  /** The envelope's id of this delivery (one call; Okta's retry of it reuses it). */
  readonly eventId: string | undefined;
  readonly events: OktaLogEvent[];
  /** Why individual events of the delivery were skipped. */
  readonly problems: string[];
}

/**
 * An Event Hook delivery: the CloudEvents-style envelope Okta posts (`eventType`
 * `com.okta.event_hook`, `data.events[]` of System Log LogEvents). A body that is not such an
 * envelope is refused whole; a malformed event inside one is skipped and reported alone.
 */
export function parseDelivery(text: string): HookDelivery {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PermanentError(`the delivery is not JSON: ${(err as Error).message}`, { code: 'ERR_HOOK_PAYLOAD' });
  }
  const envelope = value as { eventId?: unknown; eventType?: unknown; data?: { events?: unknown } } | null;
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
    throw new PermanentError('the delivery is not a JSON object', { code: 'ERR_HOOK_PAYLOAD' });
  if (envelope.eventType !== undefined && envelope.eventType !== 'com.okta.event_hook') {
    throw new PermanentError(`the delivery's eventType is ${JSON.stringify(envelope.eventType)}, not com.okta.event_hook`, { code: 'ERR_HOOK_PAYLOAD' });
  }
  const list = envelope.data?.events;
  if (!Array.isArray(list)) throw new PermanentError('the delivery has no data.events list', { code: 'ERR_HOOK_PAYLOAD' });
  const events: OktaLogEvent[] = [];
  const problems: string[] = [];
  list.forEach((item, index) => {
    const problem = logEventProblem(item);
    if (problem) problems.push(`data.events[${index}]: ${problem}`);
    else events.push(item as OktaLogEvent);
  });
  return { eventId: typeof envelope.eventId === 'string' ? envelope.eventId : undefined, events, problems };
}
