import assert from 'node:assert/strict';
import type { Logger } from '../../../src/common/logger';
import { ANSWER_ACTION_LIMIT, AUDIO_CHUNK_LIMIT, AUDIO_FRAMES_PER_SECOND, DEFAULT_MESSAGE_LIMIT, WebviewMessageGuard, checkMessageValues } from '../../../src/extension/webviewMessageGuard';
import { parseToHost, isProtocolError, type ToHost } from '../../../src/protocol/messages';
import { FakeClock } from '../../fakes/fakeClock';

function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string | Error) => void lines.push(`[${level}] ${message instanceof Error ? message.message : message}`);
  const logger: Logger = { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: () => logger };
  return logger;
}

function parsed(raw: unknown): ToHost {
  const msg = parseToHost(raw);
  assert.ok(!isProtocolError(msg), JSON.stringify(msg));
  return msg;
}

describe('webview message guard (host side)', () => {
  it('lets audio chunks through at the capture frame rate (25/s, with headroom for clock drift) and a 5 s burst', () => {
    assert.equal(AUDIO_FRAMES_PER_SECOND, 25);
    assert.equal(AUDIO_CHUNK_LIMIT.perSecond, 30);
    assert.equal(AUDIO_CHUNK_LIMIT.burst, 125);
    const clock = new FakeClock();
    const guard = new WebviewMessageGuard(clock, recordingLogger([]));
    // An hour of frames from a device clock running 1 % fast (39.6 ms apart): none dropped.
    for (let i = 0; i < 90_000; i++) {
      if (!guard.admit('audio/chunk')) assert.fail(`frame ${i} dropped`);
      clock.advance(39.6);
    }
    // A backlog of 5 s arrives at once: accepted; beyond it, dropped.
    clock.advance(5_000);
    let accepted = 0;
    for (let i = 0; i < 200; i++) if (guard.admit('audio/chunk')) accepted++;
    assert.equal(accepted, AUDIO_CHUNK_LIMIT.burst);
    assert.equal(guard.droppedCount, 200 - AUDIO_CHUNK_LIMIT.burst);
    // A flood is held to the sustained rate: 10 s of 1000 chunks a second lets about 300 through.
    accepted = 0;
    for (let t = 0; t < 10_000; t++) {
      if (guard.admit('audio/chunk')) accepted++;
      clock.advance(1);
    }
    assert.ok(accepted <= 301 && accepted >= 299, `${accepted}`);
  });

  it('limits other types to 20 per second with a burst of 40, each type on its own', () => {
    const clock = new FakeClock();
    const guard = new WebviewMessageGuard(clock, recordingLogger([]));
    let accepted = 0;
    for (let i = 0; i < 100; i++) if (guard.admit('settings/update')) accepted++;
    assert.equal(accepted, DEFAULT_MESSAGE_LIMIT.burst);
    // Another type has its own bucket.
    assert.ok(guard.admit('chat/send'));
    assert.ok(guard.admit('audio/chunk'));
    clock.advance(500);
    accepted = 0;
    for (let i = 0; i < 100; i++) if (guard.admit('settings/update')) accepted++;
    assert.equal(accepted, 10, '20/s refills 10 in half a second');
  });

  it('limits links and Insert at Cursor to a few clicks a second (each opens a prompt or edits a file)', () => {
    const clock = new FakeClock();
    const guard = new WebviewMessageGuard(clock, recordingLogger([]));
    for (const type of ['link/open', 'code/insert']) {
      let accepted = 0;
      for (let i = 0; i < 50; i++) if (guard.admit(type)) accepted++;
      assert.equal(accepted, ANSWER_ACTION_LIMIT.burst, type);
    }
    clock.advance(1_000);
    assert.ok(guard.admit('link/open'), 'refilled after a second');
    // Copy is harmless: the default limit.
    let copies = 0;
    for (let i = 0; i < 100; i++) if (guard.admit('code/copy')) copies++;
    assert.equal(copies, DEFAULT_MESSAGE_LIMIT.burst);
  });

  it('counts drops and logs them at most once per second, never throwing', () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const guard = new WebviewMessageGuard(clock, recordingLogger(lines));
    for (let i = 0; i < 1_000; i++) guard.admit('chat/send');
    for (let i = 0; i < 100; i++) guard.admit(i % 2 ? { evil: true } : `x/${'y'.repeat(i)}`);
    assert.equal(lines.length, 0, 'nothing logged inside the second');
    clock.advance(1_000);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /\[warn\] dropped panel messages over their rate limit in the last second \(chat\/send: 960, \(unknown\): 60\)/);
    for (let i = 0; i < 100; i++) guard.admit('chat/send');
    clock.advance(999);
    assert.equal(lines.length, 1);
    clock.advance(1);
    assert.equal(lines.length, 2);
    guard.dispose();
    assert.equal(clock.pendingTimers, 0, "the report timer is disposed with the guard");
  });

  it('refuses a settings/update whose numbers are outside the settings schema, naming the setting', () => {
    const base = { enabled: true, triggerTokens: 25_000, compressionRatio: 0.5, useSlidingWindow: true };
    assert.equal(checkMessageValues(parsed({ type: 'settings/update', settings: { compression: base } })), undefined);
    assert.match(
      checkMessageValues(parsed({ type: 'settings/update', settings: { compression: { ...base, triggerTokens: 1e15 } } }))!,
      /moontalk\.compression\.triggerTokens must be a whole number from 1000 to 128000 \(got 1000000000000000\)/,
    );
    assert.match(checkMessageValues(parsed({ type: 'settings/update', settings: { compression: { ...base, triggerTokens: 999 } } }))!, /triggerTokens/);
    assert.match(checkMessageValues(parsed({ type: 'settings/update', settings: { compression: { ...base, compressionRatio: 0.99 } } }))!, /compressionRatio must be a number from 0.05 to 0.95/);
    assert.equal(checkMessageValues(parsed({ type: 'settings/update', settings: { resumption: false } })), undefined);
    assert.equal(checkMessageValues(parsed({ type: 'chat/send', text: 'hi' })), undefined);
  });
});
