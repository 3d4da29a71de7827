import type { LoggerService } from '@nestjs/common';
import { redact, redactString } from './redact.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

/**
 * Structured JSON logs, one object per line, with secrets redacted before anything is written.
 * Nest's own log calls come through here too (it is installed as the application logger).
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly level: Level = 'info',
    private readonly sink: LogSink = process.stdout,
    private readonly base: Record<string, unknown> = {},
  ) {}

  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.level, this.sink, { ...this.base, ...fields });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...this.base };
    // Nest passes the context as the last string argument.
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (context) entry.context = context;
    if (typeof message === 'string') entry.msg = redactString(message);
    else if (message instanceof Error) Object.assign(entry, { msg: redactString(message.message), err: redact(message) });
    else if (message && typeof message === 'object') Object.assign(entry, redact(message) as object);
    else entry.msg = String(message);
    for (const extra of rest) {
      if (extra instanceof Error) entry.err = redact(extra);
      else if (typeof extra === 'string') entry.stack = redactString(extra);
      else if (extra && typeof extra === 'object') Object.assign(entry, redact(extra) as object);
    }
    this.sink.write(JSON.stringify(entry) + '\n');
  }
}
