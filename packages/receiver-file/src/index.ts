export { fileReceiverConfigSchema, type FileReceiverConfig } from './config.js';
export { fileReceiverFactory } from './factory.js';
export { FileReceiver } from './file-receiver.js';
export { LineSplitter } from './line-splitter.js';
