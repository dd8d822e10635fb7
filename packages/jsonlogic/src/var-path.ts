/** Path segments that would reach Object.prototype or a constructor; never resolved. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export type PathReader = (data: unknown) => unknown;

/**
 * Whether a segment names something data could inherit from a built-in prototype (`toString`,
 * `map`, `length`). Parsed JSON only inherits from those, so any other name can be read directly;
 * these few pay for the own-property check.
 */
const BUILTIN_PROTOTYPES = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype, Function.prototype];
function inheritable(key: string): boolean {
  return BUILTIN_PROTOTYPES.some((proto) => key in proto);
}

/**
 * Reads a dotted path the way json-logic-js's `var` does (numeric segments index arrays,
 * missing → the default), except that only own properties are followed: inherited members
 * (`toString`, `constructor`, `__proto__`) are "not found", so a rule cannot read outside the
 * event and an event cannot steer a rule through its prototype.
 */
export function pathReader(path: unknown, notFound: unknown): PathReader {
  if (path === undefined || path === '' || path === null || (Array.isArray(path) && path.length === 0)) return (data) => data;
  const segments = String(path).split('.');
  if (segments.some((s) => FORBIDDEN.has(s))) return () => notFound;
  if (!segments.some(inheritable)) {
    // The fast path: plain property reads, unrolled for the common depths.
    const [a, b, c] = segments as [string, string, string];
    switch (segments.length) {
      case 1:
        return (d) => {
          if (d === null || d === undefined) return notFound;
          const v = (d as Record<string, unknown>)[a];
          return v === undefined ? notFound : v;
        };
      case 2:
        return (d) => {
          if (d === null || d === undefined) return notFound;
          const x = (d as Record<string, unknown>)[a];
          if (x === null || x === undefined) return notFound;
          const v = (x as Record<string, unknown>)[b];
          return v === undefined ? notFound : v;
        };
      case 3:
        return (d) => {
          if (d === null || d === undefined) return notFound;
          const x = (d as Record<string, unknown>)[a];
          if (x === null || x === undefined) return notFound;
          const y = (x as Record<string, unknown>)[b];
          if (y === null || y === undefined) return notFound;
          const v = (y as Record<string, unknown>)[c];
          return v === undefined ? notFound : v;
        };
      default:
        return (d) => {
          let node: unknown = d;
          for (const key of segments) {
            if (node === null || node === undefined) return notFound;
            node = (node as Record<string, unknown>)[key];
            if (node === undefined) return notFound;
          }
          return node;
        };
    }
  }
  return (data) => {
    let node: unknown = data;
    for (const key of segments) {
      if (node === null || node === undefined) return notFound;
      node = own(node, key);
      if (node === undefined) return notFound;
    }
    return node;
  };
}

function own(node: unknown, key: string): unknown {
  if (typeof node === 'object') return Object.hasOwn(node as object, key) ? (node as Record<string, unknown>)[key] : undefined;
  if (typeof node === 'string') return Object.hasOwn(Object(node), key) ? (node as unknown as Record<string, unknown>)[key] : undefined;
  return undefined;
}

export function isForbiddenSegment(segment: string): boolean {
  return FORBIDDEN.has(segment);
}
