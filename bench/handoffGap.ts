/**
 * The goAway handoff gap: from closing the old socket to setupComplete on the new one,
 * with the warm standby, against a cold reconnect, against the bare loopback setup
 * round trip (open socket, send setup, receive setupComplete). Measured alternately in
 * one run on one emulator, so machine noise hits all three alike.
 */
import WebSocket from 'ws';
import { systemClock } from '../src/common/clock';
import { nullLogger } from '../src/common/logger';
import { Redactor } from '../src/common/redact';
import { LiveEmulator } from '../src/emulator/liveEmulator';
import { createLiveClient } from '../src/live/liveClient';
import { median } from './stats';

const KEY = 'AIzaBENCH-handoff-key-000000000000000000';
const MODEL = 'gemini-live-2.5-flash-preview';

async function bareSetupRtt(baseUrl: string): Promise<number> {
  const url = `${baseUrl.replace('http', 'ws')}/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=${KEY}`;
  const ws = new WebSocket(url);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const t0 = performance.now();
  const done = new Promise((r) => ws.once('message', r));
  ws.send(JSON.stringify({ setup: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['TEXT'] }, sessionResumption: {} } }));
  await done;
  const rtt = performance.now() - t0;
  const c0 = performance.now();
  ws.close(1000);
  await new Promise((r) => ws.once('close', r));
  closeRtts.push(performance.now() - c0);
  return rtt;
}

/** The close handshake's round trip, measured on the same sockets as the setup round trip. */
const closeRtts: number[] = [];

async function handoffGaps(baseUrl: string, emulator: LiveEmulator, warm: boolean, n: number): Promise<number[]> {
  const { session } = createLiveClient({
    baseUrl,
    auth: { mode: 'key', apiKey: KEY },
    clock: systemClock,
    logger: nullLogger,
    redactor: new Redactor(),
    session: { setup: { model: MODEL, responseModality: 'TEXT' }, warmStandby: warm },
  });
  const gaps: number[] = [];
  await session.connect();
  for (let i = 0; i < n; i++) {
    const completed = new Promise<number>((resolve) => {
      const sub = session.onDidEmit((e) => {
        if (e.type === 'handoff' && e.phase === 'completed') {
          sub.dispose();
          resolve(e.gapMs);
        }
      });
    });
    emulator.goAwayAll(10_000);
    gaps.push(await completed);
    // Let the old socket's close settle on the server before the next round.
    await new Promise((r) => setTimeout(r, 20));
  }
  await session.close();
  return gaps;
}

export async function benchHandoffGap(rounds = 5, perRound = 10): Promise<Record<string, number>> {
  const emulator = new LiveEmulator({ apiKey: KEY, pongDelayMs: 10_000 });
  const { baseUrl } = await emulator.start();
  const rtt: number[] = [];
  const warm: number[] = [];
  const cold: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) rtt.push(await bareSetupRtt(baseUrl));
      warm.push(...(await handoffGaps(baseUrl, emulator, true, perRound)));
      cold.push(...(await handoffGaps(baseUrl, emulator, false, perRound)));
    }
  } finally {
    await emulator.stop();
  }
  return { setupRttMs: median(rtt), closeRttMs: median(closeRtts), warmGapMs: median(warm), coldGapMs: median(cold), samples: rtt.length };
}
