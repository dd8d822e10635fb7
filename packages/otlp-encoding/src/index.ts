export { compress, contentEncoding, zstdAvailable, type Compression } from './compress.js';
export { encodeLogsJson, encodeLogsJsonBytes } from './logs-json.js';
export { JsonWriter } from './json-writer.js';
export { encodeLogsProto } from './logs-proto.js';
export { ProtoWriter } from './proto-writer.js';
export { hrTimeToFixed64, hrTimeToNanoString } from './time.js';
