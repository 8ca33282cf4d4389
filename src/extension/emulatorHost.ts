/**
 * Owns the in-process LiveEmulator behind the "emulator" backend: started on
 * demand on 127.0.0.1, port 0, stopped on dispose (or when its options change
 * and no session uses it). Offline: nothing leaves the machine.
 */
import type { Logger } from '../common/logger';
import { errorMessage } from '../common/errors';
import { LiveEmulator } from '../emulator/liveEmulator';
import { Disposable } from './lifecycle';

export interface EmulatorHostOptions {
  connectionLifetimeMs: number;
  goAwayLeadMs: number;
}

interface Running {
  emulator: LiveEmulator;
  baseUrl: string;
  options: EmulatorHostOptions;
}

export class EmulatorHost extends Disposable {
  private running: Promise<Running> | undefined;
  private current: Running | undefined;

  constructor(private readonly logger: Logger) {
    super();
    this._onDispose(() => void this.stop());
  }

  /** The running emulator, for tests and the debug info. */
  get emulator(): LiveEmulator | undefined {
    return this.current?.emulator;
  }

  /**
   * The base URL of an emulator with `options`, starting (or restarting) it as needed.
   * Call only when no session is connected to it: a restart drops its sessions.
   */
  async baseUrl(options: EmulatorHostOptions): Promise<string> {
    if (this.isDisposed) throw new Error('the emulator host is disposed');
    const running = this.running ? await this.running.catch(() => undefined) : undefined;
    if (running && running.options.connectionLifetimeMs === options.connectionLifetimeMs && running.options.goAwayLeadMs === options.goAwayLeadMs) {
      return running.baseUrl;
    }
    if (running) await this.stop();
    this.running = this.start(options);
    this.running.catch(() => {
      this.running = undefined;
    });
    return (await this.running).baseUrl;
  }

  /** Stops the emulator (closing its sockets); the next baseUrl() starts a new one. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    this.current = undefined;
    if (!running) return;
    try {
      await (await running).emulator.stop();
      this.logger.info('emulator stopped');
    } catch (err) {
      this.logger.warn(`stopping the emulator failed: ${errorMessage(err)}`);
    }
  }

  private async start(options: EmulatorHostOptions): Promise<Running> {
    // goAway must come before the end of a connection; keep the lead inside the lifetime.
    const goAwayLeadMs = Math.min(options.goAwayLeadMs, options.connectionLifetimeMs / 2);
    const emulator = new LiveEmulator({ port: 0, host: '127.0.0.1', logger: this.logger, connectionLifetimeMs: options.connectionLifetimeMs, goAwayLeadMs });
    const { baseUrl } = await emulator.start();
    const running: Running = { emulator, baseUrl, options };
    if (this.isDisposed) {
      await emulator.stop();
      throw new Error('the emulator host was disposed while starting');
    }
    this.current = running;
    return running;
  }
}
