import { ATTRIBUTE_PROFILES, DEFAULT_ATTRIBUTE_PROFILE } from '@oktel/okta-log-event';
import { z } from 'zod';
import { block, duration, extensionId, formatDuration, secret } from '@oktel/core';
import { parseOrgUrl } from './org-url.js';
import { MAX_CONFIGURED_WAIT_MS } from './waits.js';

const oauthSchema = z.strictObject({
  client_id: z.string().min(1).describe('Client ID of the API service app.'),
  private_key_file: z.string().optional().describe('PEM (PKCS#8 or PKCS#1) or JWK JSON file with the private key registered on the app for private_key_jwt.'),
  private_key: secret()
    .optional()
    .describe('The same key inline (PEM or JWK JSON), e.g. from ${env:OKTA_PRIVATE_KEY}. Use one of private_key or private_key_file.'),
  key_id: z.string().optional().describe('kid of the key as registered on the app; taken from a JWK key when not set.'),
  scopes: z.array(z.string()).default(['okta.logs.read']).describe('Scopes to request; the app must have them granted.'),
  dpop: z
    .boolean()
    .default(true)
    .describe(
      'Bind tokens with DPoP (RFC 9449): Okta requires it by default for service apps created since 2024. Set false only if the app has "Require DPoP" turned off.',
    ),
});

export const oktaReceiverConfigSchema = z
  .strictObject({
    domain: z.string().min(1).describe('The org: acme.okta.com, or a full URL. http:// only for loopback addresses (the simulator).'),
    auth: z
      .strictObject({
        api_token: secret().optional().describe('An SSWS API token. It acts with the privileges of the admin who created it and expires after 30 days unused.'),
        oauth: oauthSchema.optional().describe('OAuth 2.0 client credentials with private_key_jwt for a service app (Okta recommends this over API tokens).'),
      })
      .describe('Exactly one of api_token or oauth.'),
    since: duration().prefault('24h').describe('How far back to start when there is no checkpoint. Okta keeps 90 days.'),
    poll_interval: duration().prefault('10s').describe('Wait between polls once caught up (a page shorter than page_size). Above 0, at most 1h.'),
    page_size: z.number().int().min(1).max(1000).default(1000).describe('Events per request (Okta allows up to 1000).'),
    filter: z.string().default('').describe('Optional System Log filter expression (SCIM syntax), passed through, e.g. eventType sw "user.authentication".'),
    rate_limit: block({
      max_share: z
        .number()
        .gt(0)
        .max(1)
        .default(0.5)
        .describe(
          "Largest share of the org's /api/v1/logs budget this receiver uses per window; it pauses until the window resets rather than go below the rest.",
        ),
    }),
    timeout: duration().prefault('30s').describe('Per-request timeout (Okta ends queries after 30s). At most 1h.'),
    retry: block({
      initial_interval: duration()
        .prefault('1s')
        .describe('First wait after a failed request (5xx, network error, malformed page); doubles with jitter. Above 0, at most 1h.'),
      max_interval: duration().prefault('1m').describe('Longest wait between retries. At most 1h.'),
      auth_failure_interval: duration()
        .prefault('5m')
        .describe('Wait after a 401/403 before trying again: the error is logged once per attempt, never the credential. At most 1h.'),
    }),
    dedup: block({
      max_entries: z
        .number()
        .int()
        .min(0)
        .default(10_000)
        .describe('Recently delivered event uuids remembered (and checkpointed) to drop events Okta returns twice.'),
    }),
    storage: extensionId()
      .optional()
      .describe(
        'Storage extension (file_storage) for the cursor and de-duplication set. Without it the cursor lives in memory and a restart starts again at `since`.',
      ),
    service_name: z.string().default('okta').describe('Resource attribute service.name.'),
    attributes: z
      .enum(ATTRIBUTE_PROFILES)
      .default(DEFAULT_ATTRIBUTE_PROFILE)
      .describe(
        'Promoted attribute names: semantic (semantic conventions, okta.* where none applies; no duplicates), okta (okta.* names only), or both (every name, as before 0.2).',
      ),
    dedup_group: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Name of a de-duplication group shared with an okta_event_hook receiver of the same org: each event uuid goes through the pipeline once across both (hooks for latency, polling for completeness).',
      ),
  })
  .superRefine((config, ctx) => {
    const org = parseOrgUrl(config.domain);
    if (typeof org === 'string') ctx.addIssue({ code: 'custom', path: ['domain'], message: org });
    const { api_token, oauth } = config.auth;
    if (!api_token && !oauth) ctx.addIssue({ code: 'custom', path: ['auth'], message: 'set auth.api_token or auth.oauth' });
    if (api_token && oauth) ctx.addIssue({ code: 'custom', path: ['auth'], message: 'set only one of auth.api_token and auth.oauth' });
    if (oauth && !oauth.private_key && !oauth.private_key_file)
      ctx.addIssue({ code: 'custom', path: ['auth', 'oauth'], message: 'set private_key_file or private_key' });
    if (oauth?.private_key && oauth.private_key_file)
      ctx.addIssue({ code: 'custom', path: ['auth', 'oauth'], message: 'set only one of private_key_file and private_key' });
    const waits: [readonly string[], number][] = [
      [['poll_interval'], config.poll_interval],
      [['timeout'], config.timeout],
      [['retry', 'initial_interval'], config.retry.initial_interval],
      [['retry', 'max_interval'], config.retry.max_interval],
      [['retry', 'auth_failure_interval'], config.retry.auth_failure_interval],
    ];
    for (const [path, ms] of waits) {
      // A timer longer than 2^31 ms fires at once in Node: a "30d" interval would be a busy loop.
      if (ms > MAX_CONFIGURED_WAIT_MS)
        ctx.addIssue({
          code: 'custom',
          path: [...path],
          message: `${formatDuration(ms)} is longer than the maximum ${formatDuration(MAX_CONFIGURED_WAIT_MS)}`,
        });
    }
    for (const path of [['poll_interval'], ['timeout'], ['retry', 'initial_interval']] as const) {
      const ms = path.length === 1 ? config[path[0]] : config.retry[path[1]];
      if (ms <= 0) ctx.addIssue({ code: 'custom', path: [...path], message: 'must be longer than 0 (0 would poll in a tight loop)' });
    }
    if (config.since > 180 * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'Okta rejects a since more than 180 days back (and keeps 90 days)' });
  });

export type OktaReceiverConfig = z.output<typeof oktaReceiverConfigSchema>;
