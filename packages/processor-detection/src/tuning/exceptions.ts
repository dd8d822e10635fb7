import { OktelError } from '@oktel/core';
import { compile, JsonLogicCompileError, truthy, type Evaluator } from '@oktel/jsonlogic';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { ruleScope } from '../rules/rule-context.js';
import { TUNING_OPERATIONS } from './in-list.js';
import type { ExceptionSpec } from './tuning-schema.js';

/** An exception ready to run: which rules it covers, its condition, until when. */
export interface CompiledException {
  readonly id: string;
  readonly comment: string;
  /** Processing time (ms) from which it no longer applies; Infinity without expires. */
  readonly expiresMs: number;
  readonly appliesTo: (rule: CompiledRule) => boolean;
  readonly condition: Evaluator;
}

/** `2026-12-31` means through that day (UTC); a timestamp is exact. */
export function expiryOf(raw: string | Date | undefined): number | undefined {
  if (raw === undefined) return Number.POSITIVE_INFINITY;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.getTime() + (isMidnight(raw) ? 86_400_000 : 0);
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const ms = Date.parse(`${raw}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms + 86_400_000;
  }
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

function isMidnight(d: Date): boolean {
  return d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
}

/** The simple `field: value(s)` / `field: { in_list }` form as the JsonLogic it stands for. */
export function simpleMatchLogic(match: NonNullable<ExceptionSpec['match']>): unknown {
  const parts = Object.entries(match).map(([field, want]) => {
    const v = { var: field };
    if (Array.isArray(want)) return { in: [v, want] };
    if (typeof want === 'object') return { in_list: [v, want.in_list] };
    return { '==': [v, want] };
  });
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** An exception whose condition or expiry does not compile: reported at load with its key and JsonLogic path. */
export class ExceptionCompileError extends OktelError {
  constructor(
    readonly key: 'match' | 'when' | 'expires',
    readonly logicPath: string,
    readonly reason: string,
  ) {
    super('DETECTION_EXCEPTION_INVALID', reason, { context: { key, logicPath } });
  }
}

/** Compiles one exception; lists must be in scope (withLists). Throws ExceptionCompileError. */
export function compileException(spec: ExceptionSpec): CompiledException {
  const expiresMs = expiryOf(spec.expires);
  if (expiresMs === undefined)
    throw new ExceptionCompileError('expires', '', `${JSON.stringify(spec.expires)} is not a date (use 2026-12-31 or an ISO timestamp)`);
  const parts: Evaluator[] = [];
  for (const [key, logic] of [
    ['match', spec.match === undefined ? undefined : simpleMatchLogic(spec.match)],
    ['when', spec.when],
  ] as const) {
    if (logic === undefined) continue;
    try {
      parts.push(compile(logic, { scope: ruleScope, operations: TUNING_OPERATIONS }));
    } catch (err) {
      if (err instanceof JsonLogicCompileError) throw new ExceptionCompileError(key, err.logicPath, err.reason);
      throw err;
    }
  }
  const condition: Evaluator = parts.length === 1 ? parts[0]! : (d) => parts.every((p) => truthy(p(d)));
  const ids = new Set(spec.rules ?? []);
  const tags = new Set(spec.tags ?? []);
  const appliesTo = (rule: CompiledRule): boolean => ids.has('*') || ids.has(rule.definition.id) || rule.definition.tags.some((t) => tags.has(t));
  return { id: spec.id, comment: spec.comment, expiresMs, appliesTo, condition };
}

/**
 * Per rule, the exceptions that cover it, resolved once per load so the hot path is a map
 * lookup and, for a matched rule only, its few conditions.
 */
export class ExceptionIndex {
  readonly #byRule = new Map<CompiledRule, CompiledException[]>();
  readonly #expiredLogged = new Set<string>();
  readonly #now: () => number;
  readonly #onExcluded: (rule: CompiledRule, exception: CompiledException) => void;
  readonly #onExpired: (exception: CompiledException) => void;
  readonly size: number;

  constructor(
    rules: readonly CompiledRule[],
    exceptions: readonly CompiledException[],
    hooks: { now: () => number; onExcluded: (rule: CompiledRule, exception: CompiledException) => void; onExpired: (exception: CompiledException) => void },
  ) {
    this.#now = hooks.now;
    this.#onExcluded = hooks.onExcluded;
    this.#onExpired = hooks.onExpired;
    this.size = exceptions.length;
    for (const rule of rules) {
      const covering = exceptions.filter((e) => e.appliesTo(rule));
      if (covering.length > 0) this.#byRule.set(rule, covering);
    }
    // Expired at load: said once now rather than on the first match.
    for (const e of exceptions) if (e.expiresMs <= this.#now()) this.#expired(e);
  }

  /** True when an unexpired exception covers this rule's match of this event (counted). */
  excludes(rule: CompiledRule, ctx: unknown): boolean {
    const covering = this.#byRule.get(rule);
    if (!covering) return false;
    const now = this.#now();
    for (const e of covering) {
      if (e.expiresMs <= now) {
        this.#expired(e);
        continue;
      }
      if (truthy(e.condition(ctx))) {
        this.#onExcluded(rule, e);
        return true;
      }
    }
    return false;
  }

  #expired(e: CompiledException): void {
    if (this.#expiredLogged.has(e.id)) return;
    this.#expiredLogged.add(e.id);
    this.#onExpired(e);
  }
}
