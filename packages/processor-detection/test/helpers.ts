import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import type { LogRecord } from '@oktel/core';

const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };
let n = 0;

export function record(event: Partial<OktaLogEvent> & { eventType: string }, atMs = Date.parse('2026-11-20T10:00:00Z')): LogRecord {
  n++;
  return logEventToRecord({ uuid: `uuid-${n}`, published: new Date(atMs).toISOString(), severity: 'INFO', ...event } as OktaLogEvent, context);
}

export function writeRule(dir: string, name: string, yaml: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

export const SIMPLE_RULE = (id: string, extra = '') => `id: ${id}
name: Rule ${id}
description: test rule
severity: medium
threat:
  - tactic: { id: TA0001, name: Initial Access }
    techniques: [{ id: T1078, name: Valid Accounts }]
match: { "==": [{ var: eventType }, "user.session.start"] }
group_by: [actor.alternateId]
${extra}
tests:
  - name: matches
    events: [{ eventType: user.session.start }]
    expect: match
  - name: does not match
    events: [{ eventType: user.session.end }]
    expect: no_match
`;
