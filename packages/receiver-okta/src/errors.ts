import { OktelError } from '@oktel/core';

/**
 * Okta refused the credentials (401/403, or the token endpoint said no). Not retried quickly:
 * the message says what to fix, and the receiver tries again at a slow cadence.
 */
export class OktaAuthError extends OktelError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super('ERR_OKTA_AUTH', message);
  }
}
