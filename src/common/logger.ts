import type { Redactor } from './redact';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/**
 * What the core, the wire and the emulator log through. No vscode import: the
 * extension adapts it to a LogOutputChannel, the CLI to stderr. Implementations
 * redact, so call sites never have to remember to.
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
  /** A logger that prefixes every line with `[tag]`. */
  child(tag: string): Logger;
}

export type LogSink = (level: LogLevel, line: string) => void;

/** Formats, tags and redacts, then hands one line to a sink. */
export class RedactingLogger implements Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly redactor: Redactor,
    private readonly tag = '',
    private readonly minLevel: LogLevel = 'trace',
  ) {}

  trace(message: string, ...args: unknown[]): void {
    this.log('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.log('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.log('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.log('warn', message, args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.log('error', message instanceof Error ? message.message : message, args);
  }

  child(tag: string): Logger {
    return new RedactingLogger(this.sink, this.redactor, tag, this.minLevel);
  }

  private log(level: LogLevel, message: string, args: unknown[]): void {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.minLevel)) return;
    const parts = [this.tag ? `[${this.tag}] ${message}` : message];
    for (const arg of args) {
      const clean = this.redactor.value(arg);
      parts.push(typeof clean === 'string' ? clean : safeJson(clean));
    }
    this.sink(level, this.redactor.text(parts.join(' ')));
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Discards everything: for tests and benchmarks that measure the session layer, not logging. */
export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return nullLogger;
  },
};
