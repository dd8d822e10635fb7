import { readFileSync } from 'node:fs';
import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';

const fixture = JSON.parse(readFileSync(new URL('../../testkit/fixtures/user-session-start.json', import.meta.url), 'utf8')) as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };

/** `n` Okta events as records, with uuids u-<from>… */
export const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => logEventToRecord({ ...fixture, uuid: `u-${from + i}` }, context));
