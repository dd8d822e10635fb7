import {
  createLogger,
  deliveryOutcome,
  errorMessage,
  knownSecrets,
  loadConfig,
  lostRecords,
  renderOutcome,
  renderSummary,
  Service,
  startProgress,
  summarize,
  type ComponentRegistry,
} from '@oktel/core';
import { EXIT, signalExitCode } from '../exit-codes.js';
import { describeError, installProcessGuards } from '../process-guard.js';

export interface RunOptions {
  configFiles: string[];
  registry: ComponentRegistry;
  stderr?: NodeJS.WriteStream;
}

/** Signals closer together than this are one delivery (see onSignal). */
const DUPLICATE_SIGNAL_MS = 500;

type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'end of input' } | { kind: 'fatal'; componentId: string };

/**
 * Runs a config until every finite receiver is done, a signal arrives or a component reports a
 * fatal error; then drains (bounded by service.drain_timeout), prints the summary and resolves
 * with the exit code (see ExitCode).
 */
export async function runCommand(options: RunOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const config = loadConfig(options.configFiles, options.registry);
  const logger = createLogger({ level: config.service.telemetry.logs.level, secrets: knownSecrets(), component: 'oktel' });
  const service = new Service(config, { logger });
  const started = Date.now();

  let resolveStop: (reason: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => (resolveStop = resolve));
  const removeGuards = installProcessGuards((source, error) => {
    logger.error(`Unhandled error (${source}): ${describeError(error)}`);
    service.reportFatal(source, error);
  });
  service.onFatal((componentId) => resolveStop({ kind: 'fatal', componentId }));

  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C under `pnpm oktel` reaches us twice at once (from the terminal to the process
    // group, and forwarded by pnpm): that is one request to stop, not two.
    if (firstSignalAt !== undefined && Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
    if (firstSignalAt !== undefined) {
      logger.warn(`Second ${signal}: exiting at once without draining.`);
      process.exit(signalExitCode(signal));
    }
    firstSignalAt = Date.now();
    resolveStop({ kind: 'signal', signal });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // SIGHUP: re-read rules, lists and tuning in place (components that support it); never stops the run.
  const onHangup = (): void => {
    logger.info('SIGHUP: reloading.');
    void service.reload().then((asked) => {
      if (asked.length === 0) logger.info('SIGHUP: no component has anything to reload.');
    });
  };
  process.on('SIGHUP', onHangup);

  try {
    try {
      await service.start();
    } catch (err) {
      logger.error(`Could not start: ${errorMessage(err)}`);
      return EXIT.failed;
    }
    logger.info(`Started ${config.pipelines.length} pipeline(s) from ${config.files.join(', ')}.`);
    const stopProgress = startProgress({
      telemetry: service.telemetry,
      receivers: service.receivers,
      stream: stderr,
      intervalMs: config.service.telemetry.progress.interval,
    });

    const allDone = service.whenAllDone()?.then((): StopReason => ({ kind: 'end of input' }));
    const reason = await Promise.race(allDone ? [stopped, allDone] : [stopped]);
    stopProgress();
    const why = reason.kind === 'signal' ? reason.signal : reason.kind === 'fatal' ? `fatal error in ${reason.componentId}` : 'end of input';
    logger.info(`Stopping (${why}); draining the pipeline for at most ${config.service.drain_timeout / 1000}s.`);
    await service.shutdown();

    const outcome = deliveryOutcome(service.telemetry);
    const result = renderOutcome(outcome);
    stderr.write(`${renderSummary(summarize(service.telemetry), Date.now() - started)}\n${result}\n`);
    if (service.abandoned.length > 0) logger.error(`Shutdown abandoned ${service.abandoned.join(', ')} after service.drain_timeout.`);

    const fatal = service.fatalError;
    if (fatal) {
      logger.error(`Exiting with code ${EXIT.failed}: ${fatal.componentId} reported a fatal error: ${fatal.reason ?? 'no reason given'}`);
      return EXIT.failed;
    }
    if (reason.kind === 'end of input' && lostRecords(outcome)) {
      logger.error(`Exiting with code ${EXIT.recordsLost}: ${result}`);
      return EXIT.recordsLost;
    }
    logger.info(`Stopped. ${result}`);
    return EXIT.ok;
  } finally {
    removeGuards();
    process.off('SIGHUP', onHangup);
    // Signals stay handled until the process exits: a late second signal still exits at once.
  }
}
