/**
 * What `oktel`'s exit status means, for supervisors and scripts (documented in the README,
 * "Running as a service").
 */
export const ExitCode = {
  /** Finite run: every record delivered. Signal stop: drained (or drain_timeout reached) and stopped. */
  ok: 0,
  /** A fatal error (a component's, or an unhandled error in the process), or the service could not start. */
  fatal: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** A finite run finished but records failed to export, were dropped by a full queue or refused. */
  recordsLost: 3,
} as const;

/** A second SIGINT/SIGTERM exits at once with the shell's convention, 128 + signal number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
}
