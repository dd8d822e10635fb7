/**
 * Every error oktel raises is an OktelError with a stable code, so callers can branch on
 * the class (retryable or not) without parsing messages.
 */
export class OktelError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** Worth trying again later: the same data may succeed (429, 503, network errors). */
export class RetryableError extends OktelError {
  /** The delay the remote side asked for (Retry-After, rate-limit reset), if any. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number; code?: string; context?: Record<string, unknown> } = {}) {
    super(options.code ?? 'ERR_RETRYABLE', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Retrying the same data can never succeed (400, a record that cannot be encoded). */
export class PermanentError extends OktelError {
  constructor(message: string, options: { cause?: unknown; code?: string; context?: Record<string, unknown> } = {}) {
    super(options.code ?? 'ERR_PERMANENT', message, options);
  }
}

/** One problem in a config file, located as precisely as the source allows. */
export interface ConfigIssue {
  /** Key path inside the config, e.g. ['receivers', 'file/okta', 'path']. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** The file the offending key came from, when known. */
  readonly file?: string;
  /** 1-based line in that file, when known. */
  readonly line?: number;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}: ` : '';
  const path = issue.path.length > 0 ? `${formatKeyPath(issue.path)}: ` : '';
  return `${where}${path}${issue.message}`;
}

/** Collector style: `receivers::file/okta::path`, with list indexes as `[2]`. */
export function formatKeyPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `::${segment}`;
  }
  return out;
}

/** A config that cannot run. Carries every issue found, not only the first. */
export class ConfigError extends OktelError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map(formatConfigIssue);
    const summary = issues.length === 1 ? 'invalid configuration' : `invalid configuration (${issues.length} problems)`;
    super('ERR_CONFIG', `${summary}:\n  ${lines.join('\n  ')}`);
    this.issues = issues;
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof RetryableError) return true;
  if (err instanceof PermanentError) return false;
  // Errors we did not classify (a bug, a dropped socket surfaced as a plain Error) are retried:
  // dropping data on an unknown error is the worse failure.
  return !(err instanceof OktelError);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
