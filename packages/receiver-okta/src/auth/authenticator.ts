/** Produces the Authorization (and DPoP) headers for one API request. */
export interface Authenticator {
  headers(method: string, url: URL, signal: AbortSignal): Promise<Record<string, string>>;
  /** The last token was refused (401): get a new one before the next request. */
  invalidate(): void;
  readonly kind: 'ssws' | 'oauth';
}

export function sswsAuthenticator(token: string): Authenticator {
  return {
    kind: 'ssws',
    headers: async () => ({ authorization: `SSWS ${token}` }),
    invalidate: () => undefined,
  };
}
