export { ackUrl, eventUrl, splunkHecConfigSchema, type SplunkHecConfig } from './config.js';
export { encodeRequests, type EncodedRequests } from './encode.js';
export { splunkHecExporterFactory } from './factory.js';
export { HEC_INDEX, HEC_SOURCE, HEC_SOURCETYPE, hecEvent, isAlert, type HecEvent } from './hec-event.js';
export { hecError, parseReply, type HecReply } from './hec-errors.js';
export { createHecSender, type HecSend } from './send.js';
export { SplunkHecExporter, UNSENDABLE_LOG_RECORDS } from './splunk-hec-exporter.js';
