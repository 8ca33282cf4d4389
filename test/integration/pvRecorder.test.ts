/**
 * The real @picovoice/pvrecorder-node on this machine, through the adapter: it loads,
 * lists devices, and captures in a worker thread. What it can show depends on the
 * machine: with a microphone, frames arrive in real time; on a machine without audio
 * (CI), pvrecorder lists only miniaudio's null device, which the adapter hides from the
 * list and which, opened by name, yields zero frames faster than real time until the
 * adapter stops it. Both branches are real checks of the native module; neither skips.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isNullDevice, loadPvRecorder, pvRecorderCandidates, PvRecorderSource } from '../../src/audio/pvRecorderSource';
import type { MicrophoneExit } from '../../src/audio/microphoneSource';

describe('pvrecorder (native, this machine)', function () {
  this.timeout(20_000);

  it('loads, lists devices, and captures 40 ms frames in a worker', async function () {
    const load = loadPvRecorder(pvRecorderCandidates(path.join(__dirname, '../../src/audio')));
    if (!load.ok && !['linux-x64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'].includes(`${process.platform}-${process.arch}`)) this.skip();
    assert.ok(load.ok, load.ok ? '' : load.reason);
    const source = new PvRecorderSource(load);
    const raw = source.rawDevices();
    assert.ok(Array.isArray(raw) && raw.length > 0, 'pvrecorder lists at least one device');
    const listed = await source.listDevices();
    assert.ok(listed.every((d) => !isNullDevice(d.id)), 'the null device is never offered');
    const frames: Uint8Array[] = [];
    source.onDidCaptureFrame((f) => frames.push(f));
    const exited = new Promise<MicrophoneExit>((resolve) => source.onDidExit(resolve));
    try {
      if (listed.length > 0) {
        await source.start(undefined);
        const t0 = Date.now();
        while (frames.length < 10 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
        assert.ok(frames.length >= 10, `${frames.length} frames from the default microphone`);
        assert.ok(Date.now() - t0 >= 300, 'a real microphone delivers in real time');
      } else {
        const nullDevice = raw.find(isNullDevice)!;
        await assert.rejects(source.start(undefined), /no microphone is connected/);
        await source.start(nullDevice);
        const exit = await Promise.race([exited, new Promise<MicrophoneExit>((_, reject) => setTimeout(() => reject(new Error('null device not stopped')), 10_000))]);
        assert.equal(exit.expected, false);
        assert.match(exit.message, /faster than real time/);
        assert.ok(frames.length > 0, 'the null device yields frames');
        assert.ok(frames.every((f) => f.byteLength === 1_280 && f.every((b) => b === 0)), 'whole frames of zeros');
      }
      for (const f of frames) assert.equal(f.byteLength, 1_280);
    } finally {
      source.dispose();
    }
  });
});
