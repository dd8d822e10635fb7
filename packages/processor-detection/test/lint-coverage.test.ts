import { expect } from 'chai';
import { applyV19 } from '../scripts/generate-attack.js';
import { compileRule, lintRules, navigatorLayer, ruleSchema, TACTICS, TECHNIQUE_TACTICS, TECHNIQUES, unreachable } from '@oktel/processor-detection';

const base = {
  id: 'lint-me',
  name: 'n',
  description: 'd',
  severity: 'low',
  references: ['https://example.com'],
  threat: [{ tactic: { id: 'TA0006', name: 'Credential Access' }, techniques: [{ id: 'T1621', name: 'Multi-Factor Authentication Request Generation' }] }],
  match: { '==': [{ var: 'eventType' }, 'x'] },
  tests: [
    { name: 'p', events: [{ eventType: 'x' }], expect: 'match' },
    { name: 'n', events: [{ eventType: 'y' }], expect: 'no_match' },
  ],
};
const rule = (over: Record<string, unknown>) => compileRule(ruleSchema.parse({ ...base, ...over }), 'lint.yaml');

describe('oktel rules lint', () => {
  it('accepts a clean rule', () => {
    expect(lintRules([rule({})])).to.deep.equal([]);
  });

  it('flags ATT&CK ids unknown to v19 and names that do not match', () => {
    const messages = lintRules([
      rule({
        threat: [
          {
            tactic: { id: 'TA0005', name: 'Defense Evasion' },
            techniques: [
              { id: 'T9999', name: 'Made Up' },
              { id: 'T1110', name: 'Brute-Force' },
            ],
          },
        ],
      }),
    ]).map((f) => f.message);
    expect(messages).to.deep.equal([
      'tactic TA0005 is "Stealth" in ATT&CK v19, not "Defense Evasion"',
      'unknown ATT&CK v19 technique T9999',
      'technique T1110 is "Brute Force" in ATT&CK v19, not "Brute-Force"',
      'technique T1110 Brute Force is not under tactic TA0005 Stealth in ATT&CK v19 (it is under TA0006 Credential Access)',
    ]);
  });

  it('flags a technique listed under a tactic whose column does not contain it', () => {
    const messages = lintRules([
      rule({
        threat: [
          {
            tactic: { id: 'TA0001', name: 'Initial Access' },
            techniques: [{ id: 'T1550', name: 'Use Alternate Authentication Material', subtechniques: [{ id: 'T1550.004', name: 'Web Session Cookie' }] }],
          },
          { tactic: { id: 'TA0008', name: 'Lateral Movement' }, techniques: [{ id: 'T1199', name: 'Trusted Relationship' }] },
          { tactic: { id: 'TA0003', name: 'Persistence' }, techniques: [{ id: 'T1484', name: 'Domain or Tenant Policy Modification' }] },
        ],
      }),
    ]).map((f) => f.message);
    expect(messages).to.deep.equal([
      'technique T1550 Use Alternate Authentication Material is not under tactic TA0001 Initial Access in ATT&CK v19 (it is under TA0005 Stealth, TA0008 Lateral Movement)',
      'technique T1550.004 Web Session Cookie is not under tactic TA0001 Initial Access in ATT&CK v19 (it is under TA0005 Stealth, TA0008 Lateral Movement)',
      'technique T1199 Trusted Relationship is not under tactic TA0008 Lateral Movement in ATT&CK v19 (it is under TA0001 Initial Access)',
      'technique T1484 Domain or Tenant Policy Modification is not under tactic TA0003 Persistence in ATT&CK v19 (it is under TA0112 Defense Impairment, TA0004 Privilege Escalation)',
    ]);
  });

  it('names the replacement of a technique ATT&CK v19 revoked, and a sub-technique under the wrong parent', () => {
    const messages = lintRules([
      rule({
        threat: [
          {
            tactic: { id: 'TA0112', name: 'Defense Impairment' },
            techniques: [{ id: 'T1562', name: 'Impair Defenses', subtechniques: [{ id: 'T1685.002', name: 'Disable or Modify Cloud Log' }] }],
          },
        ],
      }),
    ]).map((f) => f.message);
    expect(messages).to.deep.equal([
      'unknown ATT&CK v19 technique T1562 (revoked in v19: use T1685 Disable or Modify Tools)',
      'sub-technique T1685.002 is not a sub-technique of T1562',
    ]);
  });

  it('checks against the complete ATT&CK data, not a hand-typed subset', () => {
    expect(Object.keys(TECHNIQUES).length).to.be.greaterThan(600);
    expect(Object.keys(TACTICS)).to.have.length(15);
    expect(TACTICS.TA0112).to.deep.equal({ name: 'Defense Impairment', shortname: 'defense-impairment' });
    expect(Object.values(TECHNIQUE_TACTICS).every((tactics) => tactics.length > 0 && tactics.every((t) => t in TACTICS))).to.equal(true);
  });

  it('finds conditions that can never hold', () => {
    expect(unreachable({ and: [{ '==': [{ var: 'eventType' }, 'a'] }, { '==': [{ var: 'eventType' }, 'b'] }] })).to.deep.equal([
      'match: "and" requires eventType to be both "a" and "b"',
    ]);
    expect(unreachable({ or: [{ in: [{ var: 'x' }, []] }] })).to.deep.equal(['match.or[0]: "in" an empty list never holds']);
    expect(unreachable({ and: [true, false] })).to.deep.equal(['match: "and" with a literal false never holds']);
    expect(lintRules([rule({ references: [] })]).map((f) => f.message)).to.deep.equal(['no references: say where the logic comes from']);
  });
});

describe('ATT&CK v19 generator', () => {
  it('splits Defense Evasion into Stealth and Defense Impairment, and drops revoked ids for their replacements', () => {
    const { tactics, techniques } = applyV19({
      source: 'test',
      tactics: [
        { id: 'TA0005', shortname: 'defense-evasion', name: 'Defense Evasion' },
        { id: 'TA0006', shortname: 'credential-access', name: 'Credential Access' },
      ],
      techniques: [
        { id: 'T1078', name: 'Valid Accounts', tactics: ['defense-evasion', 'initial-access'] },
        { id: 'T1556.006', name: 'Multi-Factor Authentication', tactics: ['credential-access', 'defense-evasion'] },
        { id: 'T1562.008', name: 'Disable or Modify Cloud Logs', tactics: ['defense-evasion'] },
      ],
    });
    expect(tactics.map((t) => `${t.id} ${t.name}`)).to.deep.equal(['TA0005 Stealth', 'TA0112 Defense Impairment', 'TA0006 Credential Access']);
    const byId = Object.fromEntries(techniques.map((t) => [t.id, t.tactics]));
    expect(byId.T1078).to.deep.equal(['stealth', 'initial-access']);
    expect(byId['T1556.006']).to.deep.equal(['credential-access', 'defense-impairment']);
    expect(byId).to.not.have.property('T1562.008');
    expect(byId['T1685.002']).to.deep.equal(['defense-impairment']);
  });
});

describe('oktel rules coverage', () => {
  it('writes an ATT&CK Navigator layer scoring techniques by the rules that cover them', () => {
    const layer = navigatorLayer([rule({}), rule({ id: 'lint-me-too' })]) as {
      versions: { attack: string };
      domain: string;
      techniques: { techniqueID: string; tactic: string; score: number; comment: string }[];
    };
    expect(layer.versions.attack).to.equal('19');
    expect(layer.domain).to.equal('enterprise-attack');
    expect(layer.techniques).to.deep.equal([{ techniqueID: 'T1621', tactic: 'credential-access', score: 2, comment: 'lint-me, lint-me-too', enabled: true }]);
  });

  it('puts techniques only under tactics that contain them', () => {
    const misplaced = rule({
      id: 'misplaced',
      threat: [
        {
          tactic: { id: 'TA0001', name: 'Initial Access' },
          techniques: [
            { id: 'T1550', name: 'Use Alternate Authentication Material' },
            { id: 'T1078', name: 'Valid Accounts' },
          ],
        },
      ],
    });
    const layer = navigatorLayer([misplaced]) as { techniques: { techniqueID: string; tactic: string }[] };
    expect(layer.techniques.map((t) => `${t.tactic}/${t.techniqueID}`)).to.deep.equal(['initial-access/T1078']);
  });
});
