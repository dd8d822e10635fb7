// The receiver builds its authenticator from config the same way; tests use the same path.
export { createAuthenticator as createAuthenticatorForTest } from '../src/auth/create.js';
