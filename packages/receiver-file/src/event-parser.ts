import { logEventProblem, type OktaLogEvent } from '@oktel/okta-log-event';

export type ParsedLine = { events: OktaLogEvent[]; problems: string[] };

/**
 * One line of input: an event, or an array of events (a saved API page on one line).
 * A bad element is a problem of its own; its neighbours still flow.
 */
export function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { events: [], problems: [`invalid JSON: ${(err as Error).message}`] };
  }
  return classify(value);
}

export function classify(value: unknown): ParsedLine {
  const items = Array.isArray(value) ? value : [value];
  const events: OktaLogEvent[] = [];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const problem = logEventProblem(item);
    if (problem === undefined) events.push(item as OktaLogEvent);
    else problems.push(Array.isArray(value) ? `element ${i}: ${problem}` : problem);
  });
  return { events, problems };
}
