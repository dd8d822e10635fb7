import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PermanentError } from '@oktel/core';

export interface SigningKey {
  key: KeyObject;
  alg: string;
  kid: string | undefined;
}

/** Okta's admin console hands out keys as PEM or JWK; both work, and the JWK's kid is used when set. */
export function loadSigningKey(options: { file?: string; inline?: string; keyId?: string }): SigningKey {
  const text = options.inline ?? readFileSync(options.file!, 'utf8');
  let key: KeyObject;
  let kid = options.keyId;
  if (text.trim().startsWith('{')) {
    const jwk = JSON.parse(text) as Record<string, unknown>;
    key = createPrivateKey({ key: jwk as never, format: 'jwk' });
    kid ??= typeof jwk.kid === 'string' ? jwk.kid : undefined;
  } else {
    key = createPrivateKey(text);
  }
  const alg = key.asymmetricKeyType === 'rsa' ? 'RS256' : key.asymmetricKeyType === 'ec' ? ecAlg(key) : undefined;
  if (!alg)
    throw new PermanentError(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: use an RSA or EC (P-256/384/521) key`, { code: 'ERR_OKTA_KEY' });
  return { key, alg, kid };
}

function ecAlg(key: KeyObject): string | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'prime256v1' ? 'ES256' : curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : undefined;
}
