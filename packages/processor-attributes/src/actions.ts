import { createHash } from 'node:crypto';
import type { AnyValue, AnyValueMap } from '@oktel/core';
import type { ActionConfig } from './actions-schema.js';

/** Applies the compiled actions, in order, to a copy of the map; returns the input itself when nothing changed. */
export type AttributeActions = (attributes: Readonly<AnyValueMap>) => AnyValueMap;

type Step = (attrs: AnyValueMap) => boolean;

const has = (attrs: AnyValueMap, key: string) => Object.hasOwn(attrs, key);

/** SHA-256 hex of the value, as the Collector's hash action does since contrib v0.79 (SHA-1 before). */
export function hashValue(value: AnyValue): string {
  const text = typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : JSON.stringify(value);
  return createHash('sha256')
    .update(text ?? '')
    .digest('hex');
}

function convert(value: AnyValue, to: 'int' | 'double' | 'string'): AnyValue | undefined {
  if (to === 'string') return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  const n =
    typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  return to === 'int' ? Math.trunc(n) : n;
}

function step(action: ActionConfig): Step {
  const key = action.key;
  const source = (attrs: AnyValueMap): AnyValue | undefined =>
    action.from_attribute !== undefined ? attrs[action.from_attribute] : (action.value as AnyValue);
  const keysOf = (attrs: AnyValueMap): string[] => {
    const re = action.pattern ? new RegExp(action.pattern) : undefined;
    return Object.keys(attrs).filter((k) => k === key || re?.test(k));
  };
  switch (action.action) {
    case 'insert':
      return (attrs) => {
        const value = source(attrs);
        if (has(attrs, key!) || value === undefined) return false;
        attrs[key!] = value;
        return true;
      };
    case 'update':
      return (attrs) => {
        const value = source(attrs);
        if (!has(attrs, key!) || value === undefined) return false;
        attrs[key!] = value;
        return true;
      };
    case 'upsert':
      return (attrs) => {
        const value = source(attrs);
        if (value === undefined) return false;
        attrs[key!] = value;
        return true;
      };
    case 'delete':
      return (attrs) => {
        const keys = keysOf(attrs);
        for (const k of keys) delete attrs[k];
        return keys.length > 0;
      };
    case 'hash':
      return (attrs) => {
        const keys = keysOf(attrs).filter((k) => attrs[k] !== undefined && attrs[k] !== null);
        for (const k of keys) attrs[k] = hashValue(attrs[k]!);
        return keys.length > 0;
      };
    case 'extract': {
      const re = new RegExp(action.pattern!);
      return (attrs) => {
        const value = attrs[key!];
        if (typeof value !== 'string') return false;
        const groups = re.exec(value)?.groups;
        if (!groups) return false;
        let changed = false;
        for (const [name, captured] of Object.entries(groups)) {
          if (captured === undefined) continue;
          attrs[name] = captured;
          changed = true;
        }
        return changed;
      };
    }
    case 'convert':
      return (attrs) => {
        if (!has(attrs, key!) || attrs[key!] === undefined || attrs[key!] === null) return false;
        const converted = convert(attrs[key!]!, action.converted_type!);
        if (converted === undefined) return false;
        attrs[key!] = converted;
        return true;
      };
  }
}

/**
 * Compiles the actions once (regexes built at load). Records are immutable, so the actions run on
 * a shallow copy; when no action changed anything the original map is returned, which lets the
 * resource processor keep sharing one Resource object between records.
 */
export function compileActions(actions: readonly ActionConfig[]): AttributeActions {
  const steps = actions.map(step);
  return (attributes) => {
    const copy: AnyValueMap = { ...attributes };
    let changed = false;
    for (const s of steps) changed = s(copy) || changed;
    return changed ? copy : (attributes as AnyValueMap);
  };
}
