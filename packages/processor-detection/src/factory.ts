import type { ProcessorFactory } from '@oktel/core';
import { detectionConfigSchemaFor, type DetectionConfig } from './config.js';
import { DetectionProcessor } from './detection-processor.js';

export interface DetectionFactoryOptions {
  /** Rule sources loaded when a config sets no `rules` (the CLI passes the shipped Okta pack). */
  defaultRules?: readonly string[];
}

/** The detection processor factory, with the rule pack a config without `rules` gets. */
export function createDetectionProcessorFactory(options: DetectionFactoryOptions = {}): ProcessorFactory<DetectionConfig> {
  return {
    type: 'detection',
    kind: 'processor',
    description: 'Evaluates JsonLogic detection rules on Okta events: ATT&CK tags on matches, alert records with suppression.',
    stability: 'development',
    configSchema: detectionConfigSchemaFor(options.defaultRules ?? []),
    extensionRefs: (config) => (config.storage ? [{ path: ['storage'], extensionId: config.storage, capability: 'storage' }] : []),
    create: (settings, config, next) => new DetectionProcessor(settings, config, next),
  };
}

/** The factory without a default rule pack: every config names its rules. */
export const detectionProcessorFactory: ProcessorFactory<DetectionConfig> = createDetectionProcessorFactory();
