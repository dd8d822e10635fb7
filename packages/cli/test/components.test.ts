import { expect } from 'chai';
import { builtinComponents } from '../src/components.js';

describe('built-in components', () => {
  it('give the detection processor the shipped Okta pack when a config names no rules', () => {
    const factory = builtinComponents().get('processor', 'detection');
    const config = factory!.configSchema.parse({}) as { loaded: { rules: { definition: { id: string } }[] } };
    expect(config.loaded.rules.map((r) => r.definition.id)).to.include.members([
      'okta-identity-verification-denied',
      'okta-threatinsight-unknown-users-spike',
      'okta-unauthorized-app-access',
    ]);
  });
});
