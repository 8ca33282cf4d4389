/** The CLI's streams: JSON Lines on stdout (each stamped with `t`), redacted logs on stderr. */
import { performance } from 'node:perf_hooks';
import { RedactingLogger, type Logger, type LogLevel } from '../common/logger';
import type { Redactor } from '../common/redact';
import type { JsonLine } from './jsonLines';

export class UsageError extends Error {}

export interface CliIo {
  /** One JSON object per line; `t` is ms since process start. */
  emit(line: JsonLine): void;
  logger: Logger;
  redactor: Redactor;
}

export function createCliIo(redactor: Redactor, out: (s: string) => void, err: (s: string) => void, verbose: boolean): CliIo {
  const minLevel: LogLevel = verbose ? 'debug' : 'info';
  const logger = new RedactingLogger((level, line) => err(`[${level}] ${line}\n`), redactor, '', minLevel);
  return {
    emit(line) {
      const safe = redactor.value({ ...line, t: Math.round(performance.now()) }) as JsonLine;
      out(`${JSON.stringify(safe)}\n`);
    },
    logger,
    redactor,
  };
}
