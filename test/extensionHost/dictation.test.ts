/**
 * MoonTalk: Dictate inside a real extension host, against the in-process emulator: a
 * stand-in microphone (code-server's host has none) says one second of "speech" and then
 * keeps quiet; the speech-to-text model's input transcription must be typed, verbatim, at
 * the cursor of the focused editor; the status bar shows dictation while it runs; Stop
 * Dictation (the command Escape is bound to while `moontalk.dictating`) ends it and releases
 * the microphone.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AudioCapture } from '../../src/extension/audioCapture';
import { Commands } from '../../src/extension/constants';
import { activateExtension, disconnect, waitFor } from './support';

/** 16 kHz PCM16 frames of 40 ms: `toneMs` of a 440 Hz tone (loud enough for the emulator's VAD), then `silenceMs`. */
function frames(toneMs: number, silenceMs: number): Uint8Array[] {
  const rate = 16_000;
  const total = Math.round(((toneMs + silenceMs) / 1000) * rate);
  const toneSamples = Math.round((toneMs / 1000) * rate);
  const pcm = new Int16Array(total);
  for (let i = 0; i < toneSamples; i++) pcm[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 6000);
  const out: Uint8Array[] = [];
  for (let i = 0; i < total; i += 640) out.push(new Uint8Array(pcm.slice(i, i + 640).buffer));
  return out;
}

/** Plays its frames once started, a few times faster than real time (the emulator counts samples). */
class StandInMicrophone implements AudioCapture {
  readonly backend = 'host' as const;
  readonly problem = undefined;
  private readonly captured = new vscode.EventEmitter<Uint8Array>();
  /** Who listens to the frames now (dictation must let go the moment it stops). */
  listeners = 0;
  readonly onDidCapture: vscode.Event<Uint8Array> = (listener, thisArg, disposables) => {
    this.listeners++;
    const subscription = this.captured.event(listener, thisArg, disposables);
    let disposed = false;
    return {
      dispose: () => {
        if (!disposed) this.listeners--;
        disposed = true;
        subscription.dispose();
      },
    };
  };
  private readonly failed = new vscode.EventEmitter<string>();
  readonly onDidFail = this.failed.event;
  private timer: ReturnType<typeof setInterval> | undefined;
  running = false;
  sent = 0;

  constructor(private readonly queue: Uint8Array[]) {}

  async start(): Promise<void> {
    this.running = true;
    this.timer = setInterval(() => {
      const frame = this.queue[this.sent];
      if (!frame) return this.stopTimer();
      this.sent++;
      this.captured.fire(frame);
    }, 10);
  }

  stop(): void {
    this.running = false;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.captured.dispose();
    this.failed.dispose();
  }
}

describe('dictation', () => {
  it('types the transcription of what the microphone heard at the cursor, shows it in the status bar, and stops', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    const doc = await vscode.workspace.openTextDocument({ content: 'Notes: \nend', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(doc);
    const cursor = new vscode.Position(0, 'Notes: '.length);
    editor.selection = new vscode.Selection(cursor, cursor);
    // One second of speech, then more silence than the end of speech needs (turn-taking default 1200 ms).
    const microphone = new StandInMicrophone(frames(1_000, 2_000));
    api.dictationTestHooks.microphone = microphone;
    try {
      await vscode.commands.executeCommand(Commands.dictate);
      await waitFor('dictation to run', () => api.dictation.state === 'running', 15_000);
      assert.match(api.dictationStatusText(), /Dictating/);
      assert.ok(microphone.running, 'the microphone was started');
      // The emulator's speech-to-text model hears "[speech 1.0 s]" (it transcribes by duration).
      await waitFor('the transcription to be typed', () => doc.getText().includes('[speech'), 20_000);
      assert.equal(doc.getText(), 'Notes: [speech 1.0 s]\nend', 'typed verbatim at the cursor, nothing else changed');
      await vscode.commands.executeCommand(Commands.stopDictation);
      await waitFor('dictation to stop', () => api.dictation.state === 'idle', 10_000);
      assert.equal(microphone.running, false, 'the microphone was released');
      assert.equal(api.dictation.charactersTyped, '[speech 1.0 s]'.length);
    } finally {
      api.dictationTestHooks.microphone = undefined;
      if (api.dictation.state !== 'idle') await api.dictation.stop();
      microphone.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('Start Listening ends a dictation: one microphone, one user', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    // Speech that never ends: the stop must not wait for a turn to complete before releasing it.
    const microphone = new StandInMicrophone(frames(30_000, 0));
    api.dictationTestHooks.microphone = microphone;
    try {
      await vscode.commands.executeCommand(Commands.dictate);
      await waitFor('dictation to run', () => api.dictation.state === 'running', 15_000);
      await waitFor('the microphone to be heard', () => microphone.sent > 5, 5_000);
      assert.equal(microphone.listeners, 1, 'dictation listens to the microphone');
      // What the microphone looked like the moment dictation began to stop (it still waits for the last words then).
      let atStopping: { listeners: number; running: boolean } | undefined;
      const watch = api.dictation.onDidChange((state) => {
        if (state === 'stopping') atStopping ??= { listeners: microphone.listeners, running: microphone.running };
      });
      try {
        await vscode.commands.executeCommand(Commands.startListening);
        assert.notEqual(api.dictation.state, 'running', 'dictation still runs while the conversation listens');
        await waitFor('dictation to end', () => api.dictation.state === 'idle', 10_000);
      } finally {
        watch.dispose();
      }
      assert.deepEqual(atStopping, { listeners: 0, running: false }, 'dictation still took frames, or kept the microphone, while it waited for the last words');
    } finally {
      api.dictationTestHooks.microphone = undefined;
      if (api.dictation.state !== 'idle') await api.dictation.stop();
      microphone.dispose();
      await vscode.commands.executeCommand(Commands.stopListening);
      await disconnect(api);
    }
  });

  it('binds Escape to Stop Dictation only while dictating', () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'moontalk-live');
    const bindings = (ext?.packageJSON?.contributes?.keybindings ?? []) as Array<{ command: string; key: string; when?: string }>;
    assert.ok(bindings.some((b) => b.command === Commands.stopDictation && b.key === 'escape' && b.when === 'moontalk.dictating'), JSON.stringify(bindings));
  });
});
