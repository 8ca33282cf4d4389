/**
 * The built-in microphone: @picovoice/pvrecorder-node (Apache-2.0), a native module with
 * prebuilt binaries for Linux x64, macOS x64/arm64, Windows x64/arm64 and Raspberry Pi,
 * shipped inside the .vsix (esbuild.mjs copies it to dist/pvrecorder/; each platform
 * .vsix carries only its own binary). Nothing to install for the user.
 *
 * - Loaded lazily, at first use, so a missing or broken binary (the universal .vsix, an
 *   unsupported CPU, a libc too old) costs nothing until then and falls back to the
 *   system recorders with a reason that names the machine.
 * - Capture runs in a worker thread: `PvRecorder.readSync()` blocks until a frame is
 *   there (pvrecorder's C code polls every 2 ms for up to a second), which must never
 *   happen on the extension host's thread. Node-API addons load in workers.
 * - pvrecorder reads `frameLength` samples at 16 kHz; {@link PcmFramer} cuts those into
 *   the project's 40 ms frames.
 * - Devices are stored by name (indices move when a headset is plugged in).
 * - miniaudio's null device ("Discard all samples … or generate zero samples") is what
 *   pvrecorder lists on a machine with no audio at all; it is not a microphone (and
 *   hands out zeros as fast as they are read), so it is never listed, and a device that
 *   delivers audio faster than real time is stopped with a clear reason.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Emitter, type Event } from '../common/event';
import { MIC_FRAME_BYTES, MIC_SAMPLE_RATE, type MicrophoneDevice, type MicrophoneExit, type MicrophoneSource } from './microphoneSource';
import { PcmFramer, int16ToLeBytes } from './pcmFramer';

/** The part of the module's API used here. */
export interface PvRecorderModule {
  PvRecorder: {
    getAvailableDevices(): string[];
  };
}

export type PvRecorderLoad = { ok: true; module: PvRecorderModule; modulePath: string } | { ok: false; reason: string };

/** The name miniaudio gives its null backend's device; pvrecorder lists it when no real backend works. */
export const NULL_DEVICE_PREFIX = 'Discard all samples';

export function isNullDevice(name: string): boolean {
  return name.startsWith(NULL_DEVICE_PREFIX);
}

/**
 * Where the module may be: next to the bundle (dist/pvrecorder, what the .vsix ships),
 * then node_modules (development and tests).
 */
export function pvRecorderCandidates(bundleDir: string): Array<() => string> {
  const nodeRequire = createRequire(path.join(bundleDir, 'noop.js'));
  return [() => nodeRequire.resolve(path.join(bundleDir, 'pvrecorder', 'dist', 'index.js')), () => nodeRequire.resolve('@picovoice/pvrecorder-node')];
}

/**
 * Loads the module from the first candidate path that resolves. Resolution failure means
 * "not shipped in this build"; a failure while loading means the binary does not run here.
 */
export function loadPvRecorder(candidates: Array<() => string>, platform = `${process.platform}-${process.arch}`): PvRecorderLoad {
  let modulePath: string | undefined;
  for (const candidate of candidates) {
    try {
      modulePath = candidate();
      break;
    } catch {
      /* next */
    }
  }
  if (!modulePath) return { ok: false, reason: `this build of MoonTalk carries no built-in microphone for ${platform}` };
  try {
    // A computed path: esbuild leaves it alone, and nothing native loads before this line.
    const module = createRequire(modulePath)(modulePath) as PvRecorderModule;
    // The class loads the .node binary when it is first touched: touch it here, where a failure is caught.
    module.PvRecorder.getAvailableDevices();
    return { ok: true, module, modulePath };
  } catch (err) {
    return { ok: false, reason: `the built-in microphone does not load on ${platform}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Messages from the capture worker. */
type WorkerMessage =
  | { type: 'started'; device: string }
  | { type: 'frame'; pcm: Int16Array }
  | { type: 'error'; message: string; started: boolean }
  | { type: 'stopped' };

/**
 * The worker: opens the device, reads frames until told to stop, posts each frame
 * (transferred, not copied). Plain CommonJS in a string so it needs no bundle of its own.
 * Between reads it yields (setImmediate) so the 'stop' message is seen within a frame.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { modulePath, frameLength, deviceIndex, sampleRate, maxAheadSeconds } = workerData;
let recorder;
let started = false;
let stopping = false;
const finish = (message) => {
  try { if (recorder) { if (recorder.isRecording) recorder.stop(); recorder.release(); } } catch (e) { /* releasing after an error */ }
  recorder = undefined;
  parentPort.postMessage(message);
  parentPort.close();
};
parentPort.on('message', (m) => { if (m === 'stop') stopping = true; });
try {
  const { PvRecorder } = require(modulePath);
  recorder = new PvRecorder(frameLength, deviceIndex, 50);
  recorder.start();
  started = true;
  parentPort.postMessage({ type: 'started', device: recorder.getSelectedDevice() });
} catch (err) {
  finish({ type: 'error', started, message: String(err && err.message || err) });
}
const t0 = Date.now();
let samples = 0;
const loop = () => {
  if (!recorder) return;
  if (stopping) return finish({ type: 'stopped' });
  try {
    const pcm = recorder.readSync();
    samples += pcm.length;
    // A microphone cannot be ahead of the clock by more than its buffer (50 frames here).
    if (samples / sampleRate > (Date.now() - t0) / 1000 + maxAheadSeconds) {
      return finish({ type: 'error', started, message: 'the device delivers audio faster than real time: it is not a microphone (a null device?)' });
    }
    parentPort.postMessage({ type: 'frame', pcm }, [pcm.buffer]);
  } catch (err) {
    return finish({ type: 'error', started, message: String(err && err.message || err) });
  }
  setImmediate(loop);
};
if (recorder) setImmediate(loop);
`;

export interface PvRecorderSourceOptions {
  /**
   * Samples per native read. Default 512 (32 ms): less than one project frame, so a
   * frame waits at most one read; the framer joins reads into 640-sample frames.
   */
  frameLength?: number;
  /** Audio the device may deliver ahead of the wall clock before it is judged not a microphone. Default 4 s (50 buffered reads of 512 is 1.6 s). */
  maxAheadSeconds?: number;
  /** How long stop() waits for the worker to release the device before terminating it. Default 2 000 ms. */
  stopTimeoutMs?: number;
}

export class PvRecorderSource implements MicrophoneSource {
  readonly kind = 'pvrecorder';
  private readonly frameEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<MicrophoneExit>();
  readonly onDidCaptureFrame: Event<Uint8Array> = this.frameEmitter.event;
  readonly onDidExit: Event<MicrophoneExit> = this.exitEmitter.event;
  private worker: Worker | undefined;
  private stopping = false;
  /** Settles when the current worker (if any) has ended. */
  private workerEnded: Promise<void> = Promise.resolve();
  private killTimer: NodeJS.Timeout | undefined;
  private readonly framer = new PcmFramer(MIC_FRAME_BYTES);
  private readonly options: Required<PvRecorderSourceOptions>;

  constructor(
    private readonly loaded: Extract<PvRecorderLoad, { ok: true }>,
    options: PvRecorderSourceOptions = {},
  ) {
    this.options = { frameLength: 512, maxAheadSeconds: 4, stopTimeoutMs: 2_000, ...options };
  }

  get isRunning(): boolean {
    return this.worker !== undefined;
  }

  /** Every device pvrecorder reports, the null device included (for diagnostics). */
  rawDevices(): string[] {
    return this.loaded.module.PvRecorder.getAvailableDevices();
  }

  async listDevices(): Promise<MicrophoneDevice[]> {
    return this.rawDevices()
      .filter((name) => !isNullDevice(name))
      .map((name) => ({ id: name, label: name }));
  }

  /** Settles once no worker runs: a stop under way has released the device (or the thread was ended). */
  whenStopped(): Promise<void> {
    return this.workerEnded;
  }

  /**
   * Opens the named device (undefined: the system default). Rejects when the device is
   * not connected, when there is no microphone at all, or when pvrecorder cannot open it.
   * Started again while a stop is under way (dictation hands the microphone to the
   * conversation), it waits for the old worker to end, then opens the device afresh:
   * the old worker's "stopped" would otherwise end the new capture.
   */
  start(device: string | undefined): Promise<void> {
    if (this.worker && this.stopping) return this.workerEnded.then(() => this.start(device));
    if (this.worker) return Promise.resolve();
    const all = this.rawDevices();
    let deviceIndex = -1;
    if (device) {
      deviceIndex = all.indexOf(device);
      if (deviceIndex < 0) return Promise.reject(new Error(`the microphone “${device}” is not connected`));
    } else if (all.every(isNullDevice)) {
      return Promise.reject(new Error('no microphone is connected'));
    }
    this.stopping = false;
    this.framer.reset();
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { modulePath: this.loaded.modulePath, frameLength: this.options.frameLength, deviceIndex, sampleRate: MIC_SAMPLE_RATE, maxAheadSeconds: this.options.maxAheadSeconds },
        // The worker needs no stdin; its stdout/stderr (pvrecorder's own warnings) go to the host's.
        stdin: false,
      });
      this.worker = worker;
      let markEnded!: () => void;
      this.workerEnded = new Promise<void>((r) => (markEnded = r));
      let started = false;
      let ended = false;
      const end = (exit: MicrophoneExit) => {
        if (ended) return;
        ended = true;
        markEnded();
        clearTimeout(this.killTimer);
        if (this.worker === worker) this.worker = undefined;
        this.framer.reset();
        if (!started) reject(new Error(exit.message));
        else this.exitEmitter.fire(exit);
      };
      worker.on('message', (m: WorkerMessage) => {
        switch (m.type) {
          case 'started':
            started = true;
            resolve();
            break;
          case 'frame':
            if (this.stopping) return;
            for (const frame of this.framer.push(int16ToLeBytes(m.pcm))) this.frameEmitter.fire(frame);
            break;
          case 'error':
            end({ expected: false, message: `pvrecorder: ${m.message}` });
            break;
          case 'stopped':
            end({ expected: true, message: 'pvrecorder stopped' });
            break;
          default: {
            const never: never = m;
            void never;
          }
        }
      });
      worker.on('error', (err) => end({ expected: false, message: `pvrecorder worker failed: ${err.message}` }));
      worker.on('exit', (code) => end({ expected: this.stopping, message: this.stopping ? 'pvrecorder stopped' : `pvrecorder worker exited (${code})` }));
    });
  }

  stop(): void {
    const worker = this.worker;
    if (!worker || this.stopping) return;
    this.stopping = true;
    worker.postMessage('stop');
    // A read blocks for at most about a second (pvrecorder's retry limit); past the timeout, end the thread.
    this.killTimer = setTimeout(() => void worker.terminate(), this.options.stopTimeoutMs);
  }

  dispose(): void {
    this.stop();
    this.frameEmitter.dispose();
    this.exitEmitter.dispose();
  }
}
