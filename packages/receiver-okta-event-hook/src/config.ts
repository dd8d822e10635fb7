import { ATTRIBUTE_PROFILES, DEFAULT_ATTRIBUTE_PROFILE } from '@oktel/okta-log-event';
import { z } from 'zod';
import { duration, secret, size } from '@oktel/core';
import { tlsSchema } from '@oktel/receiver-otlp';

export const oktaEventHookConfigSchema = z
  .strictObject({
    endpoint: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8443 or 0.0.0.0:8443')
      .default('127.0.0.1:8443')
      .describe(
        'host:port to listen on. Okta calls over the internet, to HTTPS only: either set `tls` and listen on 0.0.0.0, or keep loopback behind a TLS-terminating proxy.',
      ),
    path: z
      .string()
      .startsWith('/')
      .default('/okta/event-hook')
      .describe('Path of the hook URL registered in Okta (GET for verification, POST for deliveries).'),
    tls: tlsSchema,
    authorization: z
      .strictObject({
        header: z
          .string()
          .min(1)
          .default('Authorization')
          .describe('Name of the header Okta sends ("Authentication field" in the Admin Console, `channel.config.authScheme.key` in the API).'),
        value: secret()
          .refine((v) => v.length >= 16, 'use a secret of at least 16 characters')
          .describe(
            'The "Authentication secret" configured on the hook, sent verbatim by Okta (include any scheme, e.g. `Basic ...`). Compared in constant time; never logged.',
          ),
      })
      .describe('The shared secret Okta sends with every call. Required: the endpoint is reachable from the internet, so unauthenticated calls get 401.'),
    domain: z.string().optional().describe('Resource attribute okta.domain: the Okta org whose hook this is (set it: correlation and routing are per org).'),
    service_name: z.string().default('okta').describe('Resource attribute service.name of every record.'),
    attributes: z
      .enum(ATTRIBUTE_PROFILES)
      .default(DEFAULT_ATTRIBUTE_PROFILE)
      .describe(
        'Promoted attribute names: semantic (semantic conventions, okta.* where none applies; no duplicates), okta (okta.* names only), or both (every name, as before 0.2).',
      ),
    max_request_body_size: size().prefault('4MiB').describe('Largest delivery accepted (Okta batches a few events per call); larger gets 413.'),
    ack_timeout: duration()
      .prefault('2s')
      .describe(
        'How long a delivery may wait for the pipeline to accept it before the receiver answers 503 (Okta gives up after 3 s and then retries once). Keep it under 3 s.',
      ),
    dedup_group: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Name of a de-duplication group shared with other receivers of the same org (the polling `okta` receiver): each event uuid goes through once across them. Without it the receiver de-duplicates on its own.',
      ),
    dedup_capacity: z.number().int().min(1_000).max(10_000_000).default(100_000).describe('Event uuids remembered for de-duplication, oldest forgotten first.'),
  })
  .refine((c) => c.ack_timeout < 3000, { message: "ack_timeout must be under 3s, Okta's timeout for an event hook call", path: ['ack_timeout'] });

export type OktaEventHookConfig = z.output<typeof oktaEventHookConfigSchema>;
