import { PermanentError } from '@oktel/core';

/**
 * A Sigma construct oktel cannot run faithfully. It refuses that one rule (with where and why);
 * the other rules of the file still load. Raised inside the compiler and caught per rule.
 */
export class SigmaUnsupported extends PermanentError {
  constructor(
    readonly reason: string,
    /** YAML path of the construct inside the rule document, for the line number. */
    readonly at: readonly (string | number)[] = [],
  ) {
    super(reason, { code: 'ERR_SIGMA_UNSUPPORTED', context: { at } });
  }
}
