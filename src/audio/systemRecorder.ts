/**
 * Microphone capture through a system recorder, for desktop VS Code (its webviews
 * cannot open the microphone: microsoft/vscode issue 113916) and the CLI. Probes for
 * sox's `rec`/`sox`, `arecord`, then `ffmpeg` on PATH, spawns the first that exists and
 * streams 16 kHz PCM16 LE mono from its stdout in whole 40 ms frames.
 * No vscode import: the extension adapts it, tests drive it with a stand-in recorder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Event } from '../common/event';
import type { Disposable } from '../common/disposable';

export type RecorderName = 'rec' | 'sox' | 'arecord' | 'ffmpeg';

/** The probing order: sox first (cross-platform, exact format flags), then ALSA, then ffmpeg. */
export const RECORDER_ORDER: readonly RecorderName[] = ['rec', 'sox', 'arecord', 'ffmpeg'];

export const RECORDER_SAMPLE_RATE = 16_000;
/** 40 ms of 16 kHz PCM16 mono. */
export const RECORDER_FRAME_BYTES = 1_280;

export interface RecorderCommand {
  name: RecorderName;
  /** Absolute path of the executable. */
  command: string;
  args: string[];
}

/** Arguments that make each recorder write raw 16 kHz signed 16-bit little-endian mono to stdout. */
export function recorderArgs(name: RecorderName, platform: NodeJS.Platform, device?: string): string[] {
  const raw = ['-t', 'raw', '-r', String(RECORDER_SAMPLE_RATE), '-e', 'signed-integer', '-b', '16', '-c', '1', '--endian', 'little', '-'];
  switch (name) {
    case 'rec':
      // `rec` is sox with the default input device; AUDIODEV selects another.
      return ['-q', ...raw];
    case 'sox':
      return ['-q', ...(device ? ['-t', platform === 'darwin' ? 'coreaudio' : platform === 'win32' ? 'waveaudio' : 'alsa', device] : ['-d']), ...raw];
    case 'arecord':
      return ['-q', ...(device ? ['-D', device] : []), '-f', 'S16_LE', '-r', String(RECORDER_SAMPLE_RATE), '-c', '1', '-t', 'raw'];
    case 'ffmpeg': {
      const input =
        platform === 'darwin' ? ['-f', 'avfoundation', '-i', device ?? ':default'] : platform === 'win32' ? ['-f', 'dshow', '-i', `audio=${device ?? 'default'}`] : ['-f', 'pulse', '-i', device ?? 'default'];
      return ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-ac', '1', '-ar', String(RECORDER_SAMPLE_RATE), '-f', 's16le', '-'];
    }
  }
}

/**
 * Where the extension host runs, in words: install hints and "no microphone" messages
 * must say on which machine to act. `remoteName` is set only when the extension host runs
 * on a remote machine (SSH, WSL, a dev container): the host layer passes
 * `vscode.env.remoteName` when the extension runs there, undefined when it runs locally
 * (package.json `extensionKind: ["ui", "workspace"]` prefers the local side).
 */
export function whereToInstall(remoteName: string | undefined): string {
  return remoteName ? `on the remote machine (${remoteName})` : 'on this computer';
}

/** What to install, said for the user's platform and the machine the extension runs on. */
export function installHint(platform: NodeJS.Platform, remoteName?: string): string {
  const where = whereToInstall(remoteName);
  switch (platform) {
    case 'darwin':
      return `Install SoX ${where} with Homebrew: brew install sox`;
    case 'win32':
      return `Install SoX ${where} (winget install ChrisBagwell.SoX, or choco install sox.portable) or ffmpeg, and make sure it is on PATH`;
    default:
      return `Install SoX or ALSA utilities ${where}: sudo apt install sox (or alsa-utils); on Fedora: sudo dnf install sox`;
  }
}

function executableOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

/**
 * Finds the recorder to use. `preferred` is a name from RECORDER_ORDER, an absolute path
 * to one of them, or 'auto'. Returns undefined when none exists.
 */
export function probeRecorder(options: { preferred?: string; device?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform } = {}): RecorderCommand | undefined {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const preferred = options.preferred && options.preferred !== 'auto' ? options.preferred : undefined;
  if (preferred && path.isAbsolute(preferred)) {
    const base = path.basename(preferred).replace(/\.exe$/i, '') as RecorderName;
    if (!RECORDER_ORDER.includes(base)) return undefined;
    try {
      accessSync(preferred, fsConstants.X_OK);
    } catch {
      return undefined;
    }
    return { name: base, command: preferred, args: recorderArgs(base, platform, options.device) };
  }
  const order = preferred ? [preferred as RecorderName] : RECORDER_ORDER;
  for (const name of order) {
    if (!RECORDER_ORDER.includes(name)) return undefined;
    const command = executableOnPath(name, env, platform);
    if (command) return { name, command, args: recorderArgs(name, platform, options.device) };
  }
  return undefined;
}

export type SpawnLike = (command: string, args: string[], options: { stdio: ['ignore', 'pipe', 'pipe']; env?: NodeJS.ProcessEnv }) => ChildProcess;

/**
 * One running recorder. Frames come out whole (1 280 bytes = 40 ms), whatever sizes the
 * pipe delivers; `stop()` ends it cleanly (SIGTERM, then SIGKILL after 2 s).
 */
export class SystemRecorder implements Disposable {
  private readonly frameEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<{ expected: boolean; message: string }>();
  /** 40 ms frames of 16 kHz PCM16 LE mono. */
  readonly onDidCaptureFrame: Event<Uint8Array> = this.frameEmitter.event;
  /** The recorder ended; `expected` is false when it died on its own (device gone, permission). */
  readonly onDidExit: Event<{ expected: boolean; message: string }> = this.exitEmitter.event;
  private child: ChildProcess | undefined;
  private pending = Buffer.alloc(0);
  private stopping = false;
  private stderrTail = '';
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly recorder: RecorderCommand,
    private readonly spawnFn: SpawnLike = spawn as unknown as SpawnLike,
    private readonly env?: NodeJS.ProcessEnv,
  ) {}

  get isRunning(): boolean {
    return this.child !== undefined;
  }

  /** Starts the recorder; resolves once it is running (spawned), rejects if it cannot start. */
  start(): Promise<void> {
    if (this.child) return Promise.resolve();
    this.stopping = false;
    return new Promise<void>((resolve, reject) => {
      const child = this.spawnFn(this.recorder.command, this.recorder.args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
      this.child = child;
      let started = false;
      child.once('spawn', () => {
        started = true;
        resolve();
      });
      child.once('error', (err) => {
        this.child = undefined;
        if (!started) reject(new Error(`Could not start ${this.recorder.name} (${this.recorder.command}): ${err.message}`));
        else this.exitEmitter.fire({ expected: false, message: `${this.recorder.name} failed: ${err.message}` });
      });
      child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
      child.stderr!.on('data', (chunk: Buffer) => {
        this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2_000);
      });
      let finished = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (finished) return;
        finished = true;
        clearTimeout(this.killTimer);
        const expected = this.stopping;
        this.child = undefined;
        child.stdout!.destroy();
        child.stderr!.destroy();
        if (!started) return;
        const why = this.stderrTail.trim().split('\n').slice(-3).join(' ') || `exit ${code ?? signal}`;
        this.exitEmitter.fire({ expected, message: expected ? `${this.recorder.name} stopped` : `${this.recorder.name} stopped unexpectedly: ${why}` });
      };
      // 'close' waits for the pipes, which a grandchild may hold open: after 'exit', give the
      // pipes a moment to deliver the last error text, then finish regardless.
      child.once('close', finish);
      child.once('exit', (code, signal) => {
        if (this.stopping) finish(code, signal);
        else setTimeout(() => finish(code, signal), 500);
      });
    });
  }

  stop(): void {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    child.kill('SIGTERM');
    this.killTimer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    this.pending = Buffer.alloc(0);
  }

  private onData(chunk: Buffer): void {
    if (this.stopping) return;
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length >= RECORDER_FRAME_BYTES) {
      // Copy each frame out: the consumer may keep it after the pipe reuses its buffer.
      this.frameEmitter.fire(new Uint8Array(data.subarray(0, RECORDER_FRAME_BYTES)));
      data = data.subarray(RECORDER_FRAME_BYTES);
    }
    this.pending = Buffer.from(data);
  }

  dispose(): void {
    this.stop();
    this.frameEmitter.dispose();
    this.exitEmitter.dispose();
  }
}
