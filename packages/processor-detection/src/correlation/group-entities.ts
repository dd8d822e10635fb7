import { ENTITY_ATTRIBUTES, type AlertEntities, type EntityPair } from '../alert-record.js';

const INDEX = new Map<string, number>(ENTITY_ATTRIBUTES.map((name, i) => [name, i]));

/**
 * The entities of one open correlation group, as one flat array `[attribute, value, …]`: the
 * attribute index (from ENTITY_ATTRIBUTES) for a kept value, its bitwise complement for a value
 * only counted (beyond `cap`). Small integers cost nothing in V8, so a group costs one array and
 * the value strings — about 200 bytes for a user, an address and a session (BENCHMARKS.md) where
 * an EntityCollector per group cost 1.3 KB.
 */
export function addEntities(flat: (number | string)[], pairs: readonly EntityPair[], cap: number, overflow: number): void {
  for (const [name, value] of pairs) {
    const index = INDEX.get(name);
    if (index === undefined) continue;
    let kept = 0;
    let counted = 0;
    let seen = false;
    for (let i = 0; i < flat.length; i += 2) {
      const at = flat[i] as number;
      if (at !== index && at !== ~index) continue;
      if (flat[i + 1] === value) {
        seen = true;
        break;
      }
      if (at === index) kept++;
      else counted++;
    }
    if (seen) continue;
    if (kept < cap) flat.push(index, value);
    else if (counted < overflow) flat.push(~index, value);
  }
}

/**
 * The entities of one group as the rule keeps them: while one event has added entities since the
 * group's last alert (most groups never see a second), the flat array as one JSON string, which
 * for ASCII values costs about a third of the array and its separate value strings; from the
 * second such event on, the flat array itself.
 */
export type GroupEntities = string | (number | string)[];

/**
 * One event's entities as every stateful rule it feeds receives them. The one-event form (the
 * JSON string a new group keeps) is built once per event, not once per group it opens, and the
 * groups it opens share that one string.
 */
export interface EventEntities {
  readonly pairs: readonly EntityPair[];
  /** The one-event form, once built. */
  json: string | undefined;
  /** The pairs' estimated heap cost in a reorder buffer, once computed (-1 before). */
  bytes: number;
}

export function eventEntitiesOf(pairs: readonly EntityPair[]): EventEntities {
  return { pairs, json: undefined, bytes: -1 };
}

/** What an event's entities add to each of its items in a reorder buffer (UTF-16 strings and pair arrays). */
export function entityBytes(event: EventEntities): number {
  if (event.bytes < 0) {
    let bytes = 0;
    for (const [name, value] of event.pairs) bytes += 40 + 2 * (name.length + value.length);
    event.bytes = bytes;
  }
  return event.bytes;
}

function oneEventForm(event: EventEntities, cap: number, overflow: number): string {
  if (event.json === undefined) {
    const first: (number | string)[] = [];
    addEntities(first, event.pairs, cap, overflow);
    event.json = JSON.stringify(first);
  }
  return event.json;
}

/**
 * Adds an event's entities to a group's; returns what to keep (a new value when the form changes).
 * `cap` and `overflow` must be the same for every call with the same event (its one-event form is shared).
 */
export function addGroupEntities(current: GroupEntities | undefined, event: EventEntities, cap: number, overflow: number): GroupEntities {
  if (current === undefined) return oneEventForm(event, cap, overflow);
  if (typeof current === 'string') {
    // The same entities as the group's one event so far (the same user, address and session, as
    // most of a session's events are): the merge would change nothing, so the string stays.
    if (current === oneEventForm(event, cap, overflow)) return current;
    const flat = JSON.parse(current) as (number | string)[];
    addEntities(flat, event.pairs, cap, overflow);
    return flat;
  }
  addEntities(current, event.pairs, cap, overflow);
  return current;
}

/** The alert's view: kept values per attribute (first seen first) and how many further were counted. */
export function entitiesFromFlat(entities: GroupEntities): AlertEntities {
  const flat = typeof entities === 'string' ? (JSON.parse(entities) as (number | string)[]) : entities;
  const out: Record<string, { values: string[]; omitted: number }> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const at = flat[i] as number;
    const name = ENTITY_ATTRIBUTES[at >= 0 ? at : ~at]!;
    const entity = (out[name] ??= { values: [], omitted: 0 });
    if (at >= 0) entity.values.push(flat[i + 1] as string);
    else entity.omitted++;
  }
  const ordered: Record<string, { values: string[]; omitted: number }> = {};
  for (const name of ENTITY_ATTRIBUTES) if (out[name]) ordered[name] = out[name];
  return ordered;
}
