import { truthy } from './truthy.js';

/**
 * The JsonLogic operations whose arguments are all evaluated first, with json-logic-js 2.0.5's
 * exact semantics (loose `==`, parseFloat in `+`/`*`, `<` with three arguments as "between"…),
 * since rules written against the reference implementation must mean the same here.
 * `var`, `missing`, `missing_some` and the control/iteration operations live in the compiler.
 */
export type Operation = (...args: unknown[]) => unknown;

export const STANDARD_OPERATIONS: Readonly<Record<string, Operation>> = {
  // biome-ignore lint/suspicious/noDoubleEquals: JsonLogic's == and != are JavaScript's loose equality, by specification
  '==': (a, b) => a == b,
  '===': (a, b) => a === b,
  // biome-ignore lint/suspicious/noDoubleEquals: JsonLogic's == and != are JavaScript's loose equality, by specification
  '!=': (a, b) => a != b,
  '!==': (a, b) => a !== b,
  '>': (a, b) => (a as number) > (b as number),
  '>=': (a, b) => (a as number) >= (b as number),
  '<': (a, b, c) => (c === undefined ? (a as number) < (b as number) : (a as number) < (b as number) && (b as number) < (c as number)),
  '<=': (a, b, c) => (c === undefined ? (a as number) <= (b as number) : (a as number) <= (b as number) && (b as number) <= (c as number)),
  '!!': (a) => truthy(a),
  '!': (a) => !truthy(a),
  '%': (a, b) => (a as number) % (b as number),
  log: (a) => a,
  in: (a, b) => {
    if (!b || typeof (b as { indexOf?: unknown }).indexOf === 'undefined') return false;
    return (b as { indexOf(x: unknown): number }).indexOf(a) !== -1;
  },
  cat: (...args) => args.join(''),
  substr: (source, start, end) => {
    if ((end as number) < 0) {
      const rest = String(source).substr(start as number);
      return rest.substr(0, rest.length + (end as number));
    }
    return String(source).substr(start as number, end as number);
  },
  '+': (...args) => args.reduce<number>((a, b) => parseFloat(a as never) + parseFloat(b as never), 0),
  '*': (...args) => args.reduce((a, b) => parseFloat(a as never) * parseFloat(b as never)),
  '-': (a, b) => (b === undefined ? -(a as number) : (a as number) - (b as number)),
  '/': (a, b) => (a as number) / (b as number),
  min: (...args) => Math.min(...(args as number[])),
  max: (...args) => Math.max(...(args as number[])),
  merge: (...args) => args.reduce<unknown[]>((a, b) => a.concat(b), []),
};
