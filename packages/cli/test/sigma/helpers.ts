import { compile, truthy } from '@oktel/jsonlogic';
import { ATTACK_VERSION, TACTICS, TECHNIQUES } from '@oktel/processor-detection';
import { stringify } from 'yaml';
import { compileSigma, parseSigmaFile, type SigmaCompilation, type SigmaOptions } from '@oktel/sigma';

export const ATTACK = { version: ATTACK_VERSION, tactics: TACTICS, techniques: TECHNIQUES };

/** Compiles Sigma YAML text (one or more documents) with oktel's ATT&CK tables. */
export function sigma(text: string, options: Partial<SigmaOptions> = {}): SigmaCompilation {
  const parsed = parseSigmaFile('rule.yml', text);
  if (parsed.problems.length > 0) throw new TypeError(parsed.problems.map((p) => p.message).join('; '));
  return compileSigma(parsed.documents, { attack: ATTACK, ...options });
}

/** A one-rule Okta Sigma file around a detection block. */
export function okta(detection: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return stringify({
    title: 'Test rule',
    id: 'a0b1c2d3-0000-4000-8000-000000000001',
    status: 'test',
    logsource: { product: 'okta', service: 'okta' },
    detection,
    level: 'medium',
    ...extra,
  });
}

/** Whether the compiled rule matches the event (evaluated as the engine does, on the event). */
export function matcher(detection: Record<string, unknown>, options: Partial<SigmaOptions> = {}): (event: Record<string, unknown>) => boolean {
  const result = sigma(okta(detection), options);
  const refused = result.outcomes.find((o) => o.outcome !== 'loaded');
  if (refused) throw new TypeError(`rule ${refused.outcome}: ${refused.reason}`);
  const evaluate = compile(result.rules[0]!.definition.match);
  return (event) => truthy(evaluate(event));
}

/** The outcome of compiling one detection: why it was refused, or undefined when it loaded. */
export function refusal(detection: Record<string, unknown>, options: Partial<SigmaOptions> = {}): string | undefined {
  const o = sigma(okta(detection), options).outcomes[0]!;
  return o.outcome === 'refused' ? o.reason : undefined;
}
