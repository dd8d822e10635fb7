import type { ConnectorFactory } from '@oktel/core';
import { routingConfigSchema, type RoutingConfig } from './config.js';
import { RoutingConnector } from './routing-connector.js';

export const routingConnectorFactory: ConnectorFactory<RoutingConfig> = {
  type: 'routing',
  kind: 'connector',
  description: 'Routes records into pipelines by JsonLogic conditions (e.g. alerts to one backend, raw events to another).',
  stability: 'development',
  configSchema: routingConfigSchema,
  pipelineRefs: (config) => [
    ...config.table.flatMap((r, i) => r.pipelines.map((pipelineId, j) => ({ path: ['table', i, 'pipelines', j], pipelineId }))),
    ...config.default_pipelines.map((pipelineId, j) => ({ path: ['default_pipelines', j], pipelineId })),
  ],
  create: (settings, config, pipelines) => new RoutingConnector(settings, config, pipelines),
};
