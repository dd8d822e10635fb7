export { compress, contentEncoding, zstdAvailable, type Compression } from './compress.js';
export { encodeLogsJson } from './logs-json.js';
export { encodeLogsProto } from './logs-proto.js';
export { ProtoWriter } from './proto-writer.js';
export { hrTimeToFixed64, hrTimeToNanoString } from './time.js';
