/** Path segments that would reach Object.prototype or a constructor; never resolved. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export type PathReader = (data: unknown) => unknown;

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
  if (segments.length === 1) {
    const key = segments[0]!;
    return (data) => {
      if (data === null || data === undefined) return notFound;
      const value = own(data, key);
      return value === undefined ? notFound : value;
    };
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
  if (typeof node === 'object') return Object.prototype.hasOwnProperty.call(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  if (typeof node === 'string') return Object.prototype.hasOwnProperty.call(Object(node), key) ? (node as unknown as Record<string, unknown>)[key] : undefined;
  return undefined;
}

export function isForbiddenSegment(segment: string): boolean {
  return FORBIDDEN.has(segment);
}
