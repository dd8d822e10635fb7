export { otlpReceiverConfigSchema, type OtlpReceiverConfig } from './config.js';
export { otlpReceiverFactory } from './factory.js';
export { OtlpReceiver } from './otlp-receiver.js';
export { decodeLogsRequestProto } from './decode-proto.js';
export { decodeLogsRequestJson } from './decode-json.js';
export { toRecords } from './to-records.js';
// The HTTP building blocks are shared with the other push receivers (okta_event_hook).
export { authSchema, httpServerShape, tlsSchema, type HttpServerConfig } from './http-config.js';
export { BodyTooLargeError, HttpListener, isAuthorized, readBody, respond, splitEndpoint, UnsupportedEncodingError } from './http-server.js';
export { constantTimeEqual } from './constant-time.js';
