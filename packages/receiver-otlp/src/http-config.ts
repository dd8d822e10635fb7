import { z } from 'zod';
import { block, secret, size } from '@oktel/core';

/** TLS for an HTTP endpoint: both files or neither (plain HTTP, for loopback or behind a proxy). */
export const tlsSchema = z
  .strictObject({
    cert_file: z.string().min(1).describe('PEM certificate chain served to clients.'),
    key_file: z.string().min(1).describe('PEM private key of the certificate.'),
  })
  .optional()
  .describe('Serve HTTPS with this certificate and key. Without it the endpoint speaks plain HTTP.');

export const authSchema = z
  .strictObject({
    bearer_token: secret().optional().describe('Accept only requests with `Authorization: Bearer <token>`. Compared in constant time; never logged.'),
    header: z
      .strictObject({
        name: z.string().min(1).describe('Header name to check (case-insensitive), e.g. `x-api-key`.'),
        value: secret().describe('Expected value. Compared in constant time; never logged.'),
      })
      .optional()
      .describe('Accept only requests carrying this header with this value.'),
  })
  .refine((auth) => (auth.bearer_token === undefined) !== (auth.header === undefined), 'set exactly one of bearer_token or header')
  .optional()
  .describe('Require a credential on every request; 401 without it. Leave out for none (fine on loopback).');

export function httpServerShape(defaults: { endpoint: string; maxBody: string }) {
  return {
    endpoint: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:4318 or 0.0.0.0:4318')
      .default(defaults.endpoint)
      .describe(`host:port to listen on. Loopback by default, as the Collector does; use 0.0.0.0:port to accept from other hosts (then set auth and tls).`),
    max_request_body_size: size()
      .prefault(defaults.maxBody)
      .describe('Largest request body accepted, compressed and after decompression; larger bodies get 413.'),
    tls: tlsSchema,
    auth: authSchema,
  };
}

export const httpServerSchema = (defaults: { endpoint: string; maxBody: string }) => block(httpServerShape(defaults));

export interface HttpServerConfig {
  endpoint: string;
  max_request_body_size: number;
  tls?: { cert_file: string; key_file: string } | undefined;
  auth?: { bearer_token?: string | undefined; header?: { name: string; value: string } | undefined } | undefined;
}
