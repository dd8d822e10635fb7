import { ComponentRegistry } from '@oktel/core';
import { debugExporterFactory } from '@oktel/exporter-debug';
import { fileExporterFactory } from '@oktel/exporter-file';
import { otlpHttpExporterFactory } from '@oktel/exporter-otlp';
import { splunkHecExporterFactory } from '@oktel/exporter-splunk-hec';
import { routingConnectorFactory } from '@oktel/connector-routing';
import { fileStorageExtensionFactory } from '@oktel/extension-file-storage';
import { fileReceiverFactory } from '@oktel/receiver-file';
import { oktaReceiverFactory } from '@oktel/receiver-okta';
import { createDetectionProcessorFactory } from '@oktel/processor-detection';
import { OKTA_RULES_DIR } from '@oktel/rules-okta';
import { attributesProcessorFactory } from '@oktel/processor-attributes';
import { filterProcessorFactory } from '@oktel/processor-filter';
import { resourceProcessorFactory } from '@oktel/processor-resource';
import { otlpReceiverFactory } from '@oktel/receiver-otlp';
import { oktaEventHookReceiverFactory } from '@oktel/receiver-okta-event-hook';

/** The components this distribution of oktel is built with. */
export function builtinComponents(): ComponentRegistry {
  return new ComponentRegistry([
    oktaReceiverFactory,
    fileReceiverFactory,
    otlpReceiverFactory,
    oktaEventHookReceiverFactory,
    createDetectionProcessorFactory({ defaultRules: [OKTA_RULES_DIR] }),
    resourceProcessorFactory,
    attributesProcessorFactory,
    filterProcessorFactory,
    debugExporterFactory,
    fileExporterFactory,
    otlpHttpExporterFactory,
    splunkHecExporterFactory,
    fileStorageExtensionFactory,
    routingConnectorFactory,
  ]);
}
