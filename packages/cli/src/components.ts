import { ComponentRegistry } from '@oktel/core';
import { debugExporterFactory } from '@oktel/exporter-debug';
import { fileExporterFactory } from '@oktel/exporter-file';
import { fileStorageExtensionFactory } from '@oktel/extension-file-storage';
import { fileReceiverFactory } from '@oktel/receiver-file';
import { oktaReceiverFactory } from '@oktel/receiver-okta';

/** The components this distribution of oktel is built with. */
export function builtinComponents(): ComponentRegistry {
  return new ComponentRegistry([oktaReceiverFactory, fileReceiverFactory, debugExporterFactory, fileExporterFactory, fileStorageExtensionFactory]);
}
