import { expect } from 'chai';
import { compileRule, lintRules, navigatorLayer, ruleSchema, unreachable } from '@oktel/processor-detection';

const base = {
  id: 'lint-me', name: 'n', description: 'd', severity: 'low', references: ['https://example.com'],
  threat: [{ tactic: { id: 'TA0006', name: 'Credential Access' }, techniques: [{ id: 'T1621', name: 'Multi-Factor Authentication Request Generation' }] }],
  match: { '==': [{ var: 'eventType' }, 'x'] },
  tests: [{ name: 'p', events: [{ eventType: 'x' }], expect: 'match' }, { name: 'n', events: [{ eventType: 'y' }], expect: 'no_match' }],
};
const rule = (over: Record<string, unknown>) => compileRule(ruleSchema.parse({ ...base, ...over }), 'lint.yaml');

describe('oktel rules lint', () => {
  it('accepts a clean rule', () => {
    expect(lintRules([rule({})])).to.deep.equal([]);
  });

  it('flags ATT&CK ids unknown to v19 and names that do not match', () => {
    const messages = lintRules([rule({ threat: [{ tactic: { id: 'TA0005', name: 'Defense Evasion' }, techniques: [{ id: 'T9999', name: 'Made Up' }, { id: 'T1110', name: 'Brute-Force' }] }] })]).map((f) => f.message);
    expect(messages).to.deep.equal([
      'tactic TA0005 is "Stealth" in ATT&CK v19, not "Defense Evasion"',
      'unknown ATT&CK v19 technique T9999',
      'technique T1110 is "Brute Force" in ATT&CK v19, not "Brute-Force"',
    ]);
  });

  it('finds conditions that can never hold', () => {
    expect(unreachable({ and: [{ '==': [{ var: 'eventType' }, 'a'] }, { '==': [{ var: 'eventType' }, 'b'] }] })).to.deep.equal(['match: "and" requires eventType to be both "a" and "b"']);
    expect(unreachable({ or: [{ in: [{ var: 'x' }, []] }] })).to.deep.equal(['match.or[0]: "in" an empty list never holds']);
    expect(unreachable({ and: [true, false] })).to.deep.equal(['match: "and" with a literal false never holds']);
    expect(lintRules([rule({ references: [] })]).map((f) => f.message)).to.deep.equal(['no references: say where the logic comes from']);
  });
});

describe('oktel rules coverage', () => {
  it('writes an ATT&CK Navigator layer scoring techniques by the rules that cover them', () => {
    const layer = navigatorLayer([rule({}), rule({ id: 'lint-me-too' })]) as { versions: { attack: string }; domain: string; techniques: { techniqueID: string; tactic: string; score: number; comment: string }[] };
    expect(layer.versions.attack).to.equal('19');
    expect(layer.domain).to.equal('enterprise-attack');
    expect(layer.techniques).to.deep.equal([{ techniqueID: 'T1621', tactic: 'credential-access', score: 2, comment: 'lint-me, lint-me-too', enabled: true }]);
  });
});
