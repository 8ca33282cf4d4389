import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installHint, probeRecorder, recorderArgs, RECORDER_FRAME_BYTES, SystemRecorder } from '../../../src/audio/systemRecorder';

function binDir(names: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moontalk-rec-'));
  for (const [name, body] of Object.entries(names)) {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

function waitExit(rec: SystemRecorder, timeoutMs = 5_000): Promise<{ expected: boolean; message: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('recorder did not exit')), timeoutMs);
    rec.onDidExit((e) => {
      clearTimeout(timer);
      resolve(e);
    });
  });
}

describe('system recorder (host capture)', () => {
  it('asks every recorder for raw 16 kHz signed 16-bit little-endian mono on stdout', () => {
    assert.deepEqual(recorderArgs('arecord', 'linux'), ['-q', '-f', 'S16_LE', '-r', '16000', '-c', '1', '-t', 'raw']);
    assert.deepEqual(recorderArgs('arecord', 'linux', 'hw:1'), ['-q', '-D', 'hw:1', '-f', 'S16_LE', '-r', '16000', '-c', '1', '-t', 'raw']);
    const rec = recorderArgs('rec', 'linux');
    for (const flag of ['-r 16000', '-e signed-integer', '-b 16', '-c 1', '--endian little', '-t raw']) assert.ok(rec.join(' ').includes(flag), flag);
    assert.equal(rec.at(-1), '-');
    assert.deepEqual(recorderArgs('sox', 'linux', 'hw:2').slice(0, 4), ['-q', '-t', 'alsa', 'hw:2']);
    const ff = recorderArgs('ffmpeg', 'darwin').join(' ');
    assert.ok(ff.includes('-f avfoundation') && ff.includes('-ar 16000') && ff.includes('-ac 1') && ff.includes('-f s16le'));
  });

  it('probes in order rec, sox, arecord, ffmpeg, and honours a preference', () => {
    const dir = binDir({ arecord: 'exit 0', ffmpeg: 'exit 0' });
    const env = { PATH: dir };
    assert.equal(probeRecorder({ env, platform: 'linux' })?.name, 'arecord');
    assert.equal(probeRecorder({ env, platform: 'linux', preferred: 'ffmpeg' })?.name, 'ffmpeg');
    assert.equal(probeRecorder({ env, platform: 'linux', preferred: 'sox' }), undefined, 'a preferred recorder that is missing is not silently swapped');
    assert.equal(probeRecorder({ env, platform: 'linux', preferred: path.join(dir, 'ffmpeg') })?.command, path.join(dir, 'ffmpeg'));
    assert.equal(probeRecorder({ env: { PATH: binDir({ rec: 'exit 0', arecord: 'exit 0' }) }, platform: 'linux' })?.name, 'rec');
    assert.equal(probeRecorder({ env: { PATH: mkdtempSync(path.join(os.tmpdir(), 'empty-')) }, platform: 'linux' }), undefined);
  });

  it('says what to install on each platform', () => {
    assert.match(installHint('linux'), /apt install sox/);
    assert.match(installHint('darwin'), /brew install sox/);
    assert.match(installHint('win32'), /winget|choco/);
    // The hint says on which machine: the extension may run on a remote one (extensionKind workspace).
    assert.match(installHint('linux'), /Install SoX or ALSA utilities on this computer:/);
    assert.match(installHint('linux', 'ssh-remote'), /on the remote machine \(ssh-remote\):/);
    assert.match(installHint('darwin', 'wsl'), /Install SoX on the remote machine \(wsl\) with Homebrew/);
  });

  it('streams the recorder stdout as whole 40 ms frames, byte for byte', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'moontalk-pcm-'));
    const pcm = Buffer.alloc(RECORDER_FRAME_BYTES * 5 + 100);
    for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 7) & 0xff;
    writeFileSync(path.join(dir, 'speech.raw'), pcm);
    const bin = binDir({ arecord: `cat "${path.join(dir, 'speech.raw')}"; exec sleep 30` });
    const recorder = new SystemRecorder(probeRecorder({ env: { PATH: bin }, platform: 'linux' })!);
    const frames: Uint8Array[] = [];
    recorder.onDidCaptureFrame((f) => frames.push(f));
    await recorder.start();
    for (let i = 0; i < 100 && frames.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(frames.length, 5, 'the trailing partial frame waits for more data');
    assert.ok(frames.every((f) => f.byteLength === RECORDER_FRAME_BYTES));
    assert.deepEqual(Buffer.concat(frames), pcm.subarray(0, RECORDER_FRAME_BYTES * 5));
    const exited = waitExit(recorder);
    recorder.stop();
    assert.deepEqual(await exited, { expected: true, message: 'arecord stopped' });
    assert.equal(recorder.isRunning, false);
  });

  it('reports a recorder that dies on its own, with its error text', async () => {
    const bin = binDir({ rec: 'echo "rec FAIL sox: no default audio device configured" >&2; exit 2' });
    const recorder = new SystemRecorder(probeRecorder({ env: { PATH: bin }, platform: 'linux' })!);
    const exited = waitExit(recorder);
    await recorder.start();
    const e = await exited;
    assert.equal(e.expected, false);
    assert.match(e.message, /no default audio device/);
  });

  it('rejects start() with a clear error when the recorder cannot be spawned', async () => {
    const recorder = new SystemRecorder({ name: 'rec', command: '/nonexistent/rec', args: [] });
    await assert.rejects(recorder.start(), /Could not start rec/);
  });
});

