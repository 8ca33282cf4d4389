/**
 * The extension's one LogOutputChannel behind the vscode-free Logger interface the
 * core, the wire and the emulator receive. Lines are tagged by component (`[core]`,
 * `[panel]`) and redacted inside, through the one Redactor of this extension host,
 * so no call site has to remember to.
 */
import * as vscode from 'vscode';
import type { LogLevel, Logger } from '../common/logger';
import { RedactingLogger } from '../common/logger';
import type { Redactor } from '../common/redact';
import { OUTPUT_CHANNEL_NAME } from './constants';
import { Disposable } from './lifecycle';

export class LogChannel extends Disposable implements Logger {
  private readonly channel: vscode.LogOutputChannel;
  private readonly root: Logger;

  constructor(redactor: Redactor, channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true })) {
    super();
    this.channel = this._register(channel);
    // The channel filters by its own level (the user picks it in the Output view), so the logger passes everything.
    this.root = new RedactingLogger((level, line) => this.write(level, line), redactor);
  }

  /** Reveals the channel in the Output view (Show Logs). */
  show(): void {
    this.channel.show(true);
  }

  trace(message: string, ...args: unknown[]): void {
    this.root.trace(message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.root.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.root.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.root.warn(message, ...args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.root.error(message, ...args);
  }
  child(tag: string): Logger {
    return this.root.child(tag);
  }

  private write(level: LogLevel, line: string): void {
    if (this.isDisposed) return;
    switch (level) {
      case 'trace':
        this.channel.trace(line);
        break;
      case 'debug':
        this.channel.debug(line);
        break;
      case 'info':
        this.channel.info(line);
        break;
      case 'warn':
        this.channel.warn(line);
        break;
      case 'error':
        this.channel.error(line);
        break;
      default: {
        const never: never = level;
        this.channel.info(String(never));
      }
    }
  }
}
