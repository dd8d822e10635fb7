import { createLogger, errorMessage, knownSecrets, loadConfig, renderSummary, Service, startProgress, summarize, type ComponentRegistry } from '@oktel/core';

export interface RunOptions {
  configFiles: string[];
  registry: ComponentRegistry;
  stderr?: NodeJS.WriteStream;
}

/**
 * Runs a config until every finite receiver is done or a signal arrives, then drains and
 * prints the summary. Resolves with the process exit code.
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const config = loadConfig(options.configFiles, options.registry);
  const logger = createLogger({ level: config.service.telemetry.logs.level, secrets: knownSecrets(), component: 'oktel' });
  const service = new Service(config, { logger });
  const started = Date.now();

  try {
    await service.start();
  } catch (err) {
    logger.error(`Could not start: ${errorMessage(err)}`);
    return 1;
  }
  logger.info(`Started ${config.pipelines.length} pipeline(s) from ${config.files.join(', ')}.`);
  const stopProgress = startProgress({ telemetry: service.telemetry, receivers: service.receivers, stream: stderr, intervalMs: config.service.telemetry.progress.interval });

  const stopped = new Promise<string>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.warn(`Second ${signal}: exiting without draining.`);
        process.exit(130);
      }
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const allDone = service.whenAllDone()?.then(() => 'end of input');
  const reason = await Promise.race(allDone ? [stopped, allDone] : [stopped]);

  stopProgress();
  logger.info(`Stopping (${reason}); draining the pipeline.`);
  await service.shutdown();
  stderr.write(`${renderSummary(summarize(service.telemetry), Date.now() - started)}\n`);
  return 0;
}
