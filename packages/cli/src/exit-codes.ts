/**
 * The exit codes of `oktel`, one meaning each, so scripts and service managers can act on them.
 * 3–63 are free for finer causes (the `run` command may claim some); 128+N is death by signal N.
 */
export const EXIT = {
  /** Done: the config is valid, the pipelines drained, the command did its job. */
  ok: 0,
  /** Failed: an invalid config, a component that could not start, a failing rule test or lint. */
  failed: 1,
  /** Bad usage: an unknown command or flag, a missing or malformed argument. */
  usage: 2,
  /** A second SIGINT/SIGTERM: stopped at once without draining. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    failure: invalid configuration, a component that could not start, failing rules
  2    usage error: unknown command or flag, missing argument
  130  a second SIGINT/SIGTERM stopped oktel without draining`;
