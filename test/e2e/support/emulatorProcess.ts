/**
 * A Gemini Live emulator in its own process (`node dist/cli.js emulator --port 0`),
 * owned by a spec: the extension reaches it through `moontalk.baseUrl`, and the spec
 * reads what it received through its loopback inspection endpoint
 * (`GET /emulator/sessions[?pcm=1]`, src/emulator/liveEmulator.ts).
 */
import * as path from 'node:path';
import { REPO } from './paths';
import { start, waitUntil, type Owned } from './processes';

export interface EmulatorSession {
  id: string;
  connectionCount: number;
  resumeCount: number;
  connected: boolean;
  history: Array<{ role: 'user' | 'model'; text: string }>;
  /** `pcm` (base64 PCM16 LE) only with `?pcm=1`. */
  receivedAudio: { bytes: number; durationMs: number; sampleRate: number; pcm?: string };
}

export class EmulatorProcess {
  private constructor(
    readonly baseUrl: string,
    private readonly owned: Owned,
  ) {}

  /** Starts the CLI emulator on 127.0.0.1 with `flags`; resolves once it printed its base URL. */
  static async start(logFile: string, flags: string[] = []): Promise<EmulatorProcess> {
    const cli = path.join(REPO, 'dist', 'cli.js');
    const owned = start(process.execPath, [cli, 'emulator', '--port', '0', ...flags], { cwd: REPO, logFile });
    try {
      const baseUrl = await waitUntil('the emulator to print {"type":"listening",…}', 20_000, () => {
        if (owned.child.exitCode !== null) throw new Error(`the emulator exited with ${owned.child.exitCode}:\n${owned.output()}`);
        for (const line of owned.output().split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            const msg = JSON.parse(line) as { type?: string; baseUrl?: string };
            if (msg.type === 'listening' && msg.baseUrl) return msg.baseUrl;
          } catch {
            /* a partial line */
          }
        }
        return undefined;
      });
      if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`the emulator listens on ${baseUrl}, not on loopback`);
      return new EmulatorProcess(baseUrl, owned);
    } catch (err) {
      await owned.stop();
      throw err;
    }
  }

  /** The sessions as the emulator sees them; `pcm` adds the received audio. */
  async sessions(options: { pcm?: boolean } = {}): Promise<EmulatorSession[]> {
    const res = await fetch(`${this.baseUrl}/emulator/sessions${options.pcm ? '?pcm=1' : ''}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET /emulator/sessions answered ${res.status}`);
    return ((await res.json()) as { sessions: EmulatorSession[] }).sessions;
  }

  async stop(): Promise<void> {
    await this.owned.stop();
  }
}
