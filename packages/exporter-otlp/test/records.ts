import { logEventToRecord, oktaResource, type OktaLogEvent } from '@oktel/okta-log-event';
import { fixture as loadFixture } from '@oktel/testkit';

const fixture = loadFixture('user-session-start.json') as OktaLogEvent;
const context = { resource: oktaResource({ domain: 'acme.okta.com' }), scope: { name: 'test' } };

/** `n` Okta events as records, with uuids u-<from>… */
export const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => logEventToRecord({ ...fixture, uuid: `u-${from + i}` }, context));
