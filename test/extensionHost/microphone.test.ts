/**
 * The built-in microphone inside a real extension host: the native module the extension
 * ships in dist/pvrecorder loads in this host's runtime (Node in code-server's server;
 * Electron's Node in desktop VS Code, where @vscode/test-electron runs this same spec),
 * and capture runs in a worker thread there. On a machine without audio pvrecorder lists
 * only the null device, which is opened by name: zero frames until the adapter stops it
 * for being faster than real time. What was seen is written next to the results file.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MicrophoneExit } from '../../src/audio/microphoneSource';
import { isNullDevice, loadPvRecorder, PvRecorderSource } from '../../src/audio/pvRecorderSource';
import { Commands, EXTENSION_ID } from '../../src/extension/constants';
import { resultsPath } from './index';

describe('built-in microphone in the extension host', () => {
  it('loads the shipped pvrecorder in this host, lists devices, and captures in a worker', async function () {
    this.timeout(20_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    const load = loadPvRecorder([() => path.join(ext.extensionPath, 'dist', 'pvrecorder', 'dist', 'index.js')]);
    const seen: Record<string, unknown> = { versions: process.versions, platform: `${process.platform}-${process.arch}`, load: load.ok ? load.modulePath : load.reason };
    try {
      assert.ok(load.ok, load.ok ? '' : load.reason);
      const source = new PvRecorderSource(load);
      const raw = source.rawDevices();
      seen.devices = raw;
      const frames: Uint8Array[] = [];
      source.onDidCaptureFrame((f) => frames.push(f));
      const exited = new Promise<MicrophoneExit>((resolve) => source.onDidExit(resolve));
      try {
        const real = raw.filter((d) => !isNullDevice(d));
        if (real.length > 0) {
          await source.start(undefined);
          const t0 = Date.now();
          while (frames.length < 10 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
          seen.capture = `${frames.length} frames from the default microphone`;
          assert.ok(frames.length >= 10);
        } else {
          await source.start(raw.find(isNullDevice)!);
          const exit = await Promise.race([exited, new Promise<MicrophoneExit>((_, reject) => setTimeout(() => reject(new Error('null device not stopped')), 10_000))]);
          seen.capture = `${frames.length} frames of ${frames[0]?.byteLength} bytes from the null device, then: ${exit.message}`;
          assert.ok(frames.length > 0 && frames.every((f) => f.byteLength === 1_280));
          assert.match(exit.message, /faster than real time/);
        }
      } finally {
        source.dispose();
      }
      await ext.activate();
      assert.ok((await vscode.commands.getCommands(true)).includes(Commands.chooseMicrophone), 'Choose Microphone is registered');
    } finally {
      writeFileSync(path.join(path.dirname(resultsPath()), 'microphone-check.json'), JSON.stringify(seen, null, 2));
    }
  });
});
