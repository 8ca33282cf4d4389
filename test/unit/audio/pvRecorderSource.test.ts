/**
 * The built-in microphone's adapter with a stand-in for the native module (a plain JS
 * file the capture worker loads like the real one): framing, device names, failures,
 * stop. The real module on this machine: test/integration/pvRecorder.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isNullDevice, loadPvRecorder, PvRecorderSource, type PvRecorderLoad } from '../../../src/audio/pvRecorderSource';
import type { MicrophoneExit } from '../../../src/audio/microphoneSource';

/** A module shaped like @picovoice/pvrecorder-node: a ramp of samples, paced at real time, from device "USB Mic". */
const FAKE = String.raw`
class PvRecorder {
  static getAvailableDevices() { return ['Built-in Microphone', 'USB Mic', 'Discard all samples (playback) or generate zero samples (capture)']; }
  constructor(frameLength, deviceIndex) {
    if (process.env.FAKE_PV_FAIL_INIT) throw new Error('PvRecorder failed to initialize.');
    this.frameLength = frameLength; this.deviceIndex = deviceIndex; this.next = 0; this.isRecording = false;
  }
  start() { this.isRecording = true; this.t0 = Date.now(); }
  stop() { this.isRecording = false; }
  release() {}
  getSelectedDevice() { return PvRecorder.getAvailableDevices()[this.deviceIndex < 0 ? 0 : this.deviceIndex]; }
  readSync() {
    const due = this.t0 + ((this.next + this.frameLength) / 16000) * 1000 * (process.env.FAKE_PV_FAST ? 0.001 : 1);
    const wait = due - Date.now();
    if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    const pcm = new Int16Array(this.frameLength);
    for (let i = 0; i < pcm.length; i++) pcm[i] = (this.next++ % 30000) + this.deviceIndex * 0;
    return pcm;
  }
}
module.exports = { PvRecorder };
`;

function fakeModule(): Extract<PvRecorderLoad, { ok: true }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moontalk-pv-'));
  const file = path.join(dir, 'index.js');
  writeFileSync(file, FAKE);
  const load = loadPvRecorder([() => file], 'test-x64');
  assert.ok(load.ok, load.ok ? '' : load.reason);
  return load;
}

function nextExit(source: PvRecorderSource, timeoutMs = 5_000): Promise<MicrophoneExit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no exit within the limit')), timeoutMs);
    source.onDidExit((e) => {
      clearTimeout(timer);
      resolve(e);
    });
  });
}

describe('PvRecorderSource (built-in microphone) with a stand-in module', function () {
  this.timeout(15_000);
  afterEach(() => {
    delete process.env.FAKE_PV_FAIL_INIT;
    delete process.env.FAKE_PV_FAST;
  });

  it('lists devices by name and never the null device', async () => {
    const source = new PvRecorderSource(fakeModule());
    assert.deepEqual(
      (await source.listDevices()).map((d) => d.id),
      ['Built-in Microphone', 'USB Mic'],
    );
    assert.equal(isNullDevice('Discard all samples (playback) or generate zero samples (capture)'), true);
    source.dispose();
  });

  it('captures in a worker: whole 40 ms frames, samples in order; stop ends it as expected', async () => {
    const source = new PvRecorderSource(fakeModule());
    const frames: Uint8Array[] = [];
    source.onDidCaptureFrame((f) => frames.push(f));
    await source.start('USB Mic');
    assert.equal(source.isRunning, true);
    const t0 = Date.now();
    while (frames.length < 6 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    const exit = nextExit(source);
    source.stop();
    assert.deepEqual(await exit, { expected: true, message: 'pvrecorder stopped' });
    assert.equal(source.isRunning, false);
    assert.ok(frames.length >= 6, `${frames.length} frames`);
    for (const f of frames) assert.equal(f.byteLength, 1_280);
    const samples = new Int16Array(Buffer.concat(frames).buffer.slice(0));
    samples.forEach((v, i) => assert.equal(v, i % 30000));
    source.dispose();
  });

  it('started again while a stop is under way: waits for the old worker, then captures afresh (a hand-over from dictation to the conversation)', async () => {
    const source = new PvRecorderSource(fakeModule());
    let frames = 0;
    source.onDidCaptureFrame(() => frames++);
    await source.start(undefined);
    const waitFrames = async (n: number) => {
      const t0 = Date.now();
      while (frames < n && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFrames(2);
    const events: string[] = [];
    source.onDidExit((e) => events.push(`exit ${e.expected ? 'expected' : 'unexpected'}`));
    source.stop();
    const restarted = source.start(undefined).then(() => events.push('started again'));
    await restarted;
    // The old worker's exit came first; had the new start returned at once, that exit would have
    // ended the new capture (isRunning false, no frames: a microphone that hears nothing).
    assert.deepEqual(events, ['exit expected', 'started again']);
    assert.equal(source.isRunning, true);
    const before = frames;
    await waitFrames(before + 3);
    assert.ok(frames >= before + 3, `no frames after the restart (${frames - before})`);
    const exit = nextExit(source);
    source.stop();
    assert.equal((await exit).expected, true);
    source.dispose();
  });

  it('refuses a device that is not connected, naming it', async () => {
    const source = new PvRecorderSource(fakeModule());
    await assert.rejects(source.start('Headset'), /the microphone “Headset” is not connected/);
    assert.equal(source.isRunning, false);
    source.dispose();
  });

  it('rejects start with pvrecorder’s reason when the device cannot be opened', async () => {
    process.env.FAKE_PV_FAIL_INIT = '1';
    const source = new PvRecorderSource(fakeModule());
    await assert.rejects(source.start(undefined), /pvrecorder: PvRecorder failed to initialize/);
    assert.equal(source.isRunning, false);
    source.dispose();
  });

  it('stops a device that delivers audio faster than real time (not a microphone)', async () => {
    process.env.FAKE_PV_FAST = '1';
    const source = new PvRecorderSource(fakeModule(), { maxAheadSeconds: 1 });
    const exit = nextExit(source);
    await source.start(undefined);
    const e = await exit;
    assert.equal(e.expected, false);
    assert.match(e.message, /faster than real time/);
    source.dispose();
  });
});

describe('loadPvRecorder', () => {
  it('says the build carries no built-in microphone when the module is not there, naming the platform', () => {
    const load = loadPvRecorder(
      [
        () => {
          throw new Error('Cannot find module');
        },
      ],
      'linux-riscv64',
    );
    assert.deepEqual(load, { ok: false, reason: 'this build of MoonTalk carries no built-in microphone for linux-riscv64' });
  });

  it('says the binary does not load here when requiring it throws', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'moontalk-pv-'));
    const file = path.join(dir, 'index.js');
    writeFileSync(file, "throw new Error('System linux/arm64 is not supported by this library.');");
    const load = loadPvRecorder([() => file], 'linux-arm64');
    assert.equal(load.ok, false);
    assert.match(load.ok ? '' : load.reason, /^the built-in microphone does not load on linux-arm64: System linux\/arm64 is not supported/);
  });
});
