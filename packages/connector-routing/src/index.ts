export { routingConfigSchema, type RoutingConfig } from './config.js';
export { routingConnectorFactory } from './factory.js';
export { RecordView, recordScope } from './record-view.js';
export { RoutingConnector } from './routing-connector.js';
