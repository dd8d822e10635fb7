export { isAbsent, isAbsentPrincipal, presentOrUndefined } from './absent.js';
export {
  ATTRIBUTE_MAPPINGS,
  ATTRIBUTE_PROFILES,
  attributesOf,
  DEFAULT_ATTRIBUTE_PROFILE,
  renderAttributeTable,
  type AttributeMapping,
  type AttributeProfile,
} from './attributes.js';
export { jsonDepthExceeds, logEventProblem, MAX_EVENT_DEPTH, type OktaActor, type OktaLogEvent } from './log-event.js';
export { publishedMillis } from './published.js';
export { SEVERITY_NUMBERS, severityNumberOf } from './severity.js';
export { logEventOf, logEventToRecord, oktaResource, type RecordContext } from './to-record.js';
export { dedupGroup, EventDedup } from './dedup-group.js';
