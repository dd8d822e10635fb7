import type { ProcessorFactory } from '@oktel/core';
import { detectionConfigSchema, type DetectionConfig } from './config.js';
import { DetectionProcessor } from './detection-processor.js';

export const detectionProcessorFactory: ProcessorFactory<DetectionConfig> = {
  type: 'detection',
  kind: 'processor',
  description: 'Evaluates JsonLogic detection rules on Okta events: ATT&CK tags on matches, alert records with suppression.',
  stability: 'development',
  configSchema: detectionConfigSchema as never,
  extensionRefs: (config) => (config.storage ? [{ path: ['storage'], extensionId: config.storage, capability: 'storage' }] : []),
  create: (settings, config, next) => new DetectionProcessor(settings, config, next),
};
