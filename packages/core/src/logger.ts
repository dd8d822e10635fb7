/**
 * oktel's own diagnostic log: one line per message, on stderr so it never mixes with data
 * written to stdout by the debug exporter. Messages are sentences; fields are key=value.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | undefined | null>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
}

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  component?: string;
  /** Strings that must never be printed (tokens, API keys); replaced by [REDACTED]. */
  secrets?: ReadonlySet<string>;
}

const stderrSink: LogSink = { write: (line) => process.stderr.write(line) };

function formatValue(value: unknown): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * The forms in which a secret can come back from a server or a library: as is, in base64 (a
 * Basic auth header, a JWT part), base64url, and URL- or JSON-escaped. A server that echoes the
 * request (an error body with the Authorization header) must not leak the key through the log.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), bytes.toString('base64'), bytes.toString('base64url')]);
  // Inside a longer base64 text (user:password, "SSWS token") the secret's encoding depends on
  // its offset mod 3: the part that is stable whatever the prefix, for each offset.
  const aligned = bytes.toString('base64').slice(0, -4);
  if (aligned.length >= 8) forms.add(aligned);
  for (let shift = 1; shift <= 2; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const stable = encoded.slice(Math.ceil((shift * 4) / 3) + 1, -4);
    if (stable.length >= 8) forms.add(stable);
  }
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

const formsCache = new WeakMap<ReadonlySet<string>, { size: number; forms: string[] }>();

export function redact(text: string, secrets: ReadonlySet<string> | undefined): string {
  if (!secrets || secrets.size === 0) return text;
  let cached = formsCache.get(secrets);
  if (!cached || cached.size !== secrets.size) {
    cached = { size: secrets.size, forms: [...new Set([...secrets].filter((s) => s.length >= 4).flatMap(secretForms))].sort((a, b) => b.length - a.length) };
    formsCache.set(secrets, cached);
  }
  let out = text;
  for (const form of cached.forms) {
    if (out.includes(form)) out = out.split(form).join('[REDACTED]');
  }
  return out;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const sink = options.sink ?? stderrSink;
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < threshold) return;
    let line = `${new Date().toISOString()} ${level.padEnd(5)} ${options.component ? `${options.component}: ` : ''}${message}`;
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
    }
    sink.write(`${redact(line, options.secrets)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (component) => createLogger({ ...options, component }),
  };
}

/** Collects lines in memory; for tests and for asserting that secrets never leak. */
export class MemoryLogSink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
}
