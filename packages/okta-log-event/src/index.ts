export { ATTRIBUTE_MAPPINGS, attributesOf, renderAttributeTable, type AttributeMapping } from './attributes.js';
export { jsonDepthExceeds, logEventProblem, MAX_EVENT_DEPTH, type OktaActor, type OktaLogEvent } from './log-event.js';
export { SEVERITY_NUMBERS, severityNumberOf } from './severity.js';
export { logEventOf, logEventToRecord, oktaResource, type RecordContext } from './to-record.js';
export { dedupGroup, EventDedup } from './dedup-group.js';
