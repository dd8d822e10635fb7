/**
 * The exit codes of `oktel`, one meaning each, so scripts and service managers can act on them
 * (documented in packages/cli/README.md and the root README's "Running as a service").
 * 2 is what retrying cannot fix, so the systemd unit does not restart on it.
 */
export const EXIT = {
  /** Done: a finite run delivered every record; a signal stop drained (or drain_timeout passed); the command did its job. */
  ok: 0,
  /** Failed: a fatal error (a component's, or an unhandled one in the process), a service that could not start, failing rule tests or lint. */
  failed: 1,
  /** Bad usage or configuration: an unknown command or flag, a missing argument, an invalid config. */
  usage: 2,
  /** A finite run ended but records failed to export, were dropped by a full queue or refused. */
  recordsLost: 3,
  /** A second SIGINT stopped oktel at once without draining (143 for SIGTERM: 128 + the signal number). */
  interrupted: 130,
} as const;

/** A second SIGINT/SIGTERM exits at once with the shell's convention, 128 + signal number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
}

export const EXIT_CODES_HELP = `Exit codes:
  0    success (run: every record delivered, or stopped by a signal after draining)
  1    failure: a fatal error, a component that could not start, failing rules
  2    usage error or invalid configuration
  3    run: a finite run ended with records that failed to export or were dropped
  130  a second SIGINT (143: SIGTERM) stopped oktel without draining`;
