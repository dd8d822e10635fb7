import { errorMessage } from '@oktel/core';

/**
 * Nothing escapes as an unhandled rejection or exception and kills the process mid-write:
 * each is handed to `onFatal` (the run command turns it into a fatal status, which stops the
 * service in order and exits non-zero). Returns a function that removes the handlers.
 */
export function installProcessGuards(onFatal: (source: string, error: unknown) => void): () => void {
  const rejection = (reason: unknown): void => onFatal('process/unhandled_rejection', reason);
  const exception = (error: Error): void => onFatal('process/uncaught_exception', error);
  process.on('unhandledRejection', rejection);
  process.on('uncaughtException', exception);
  return () => {
    process.off('unhandledRejection', rejection);
    process.off('uncaughtException', exception);
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error && error.stack ? `${errorMessage(error)}\n${error.stack.split('\n').slice(1, 6).join('\n')}` : errorMessage(error);
}
