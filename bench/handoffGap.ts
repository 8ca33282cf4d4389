/**
 * The goAway handoff gap: from closing the old socket to setupComplete on the new one,
 * with the warm standby, against a cold reconnect, against the bare loopback setup
 * round trip (open socket, send setup, receive setupComplete). Measured alternately in
 * one run on one emulator, so machine noise hits all three alike.
 */
import WebSocket from 'ws';
import { LiveEmulator } from '../src/emulator/liveEmulator';
import { startLatencyProxy } from './latencyProxy';
import { benchClient } from './benchClient';
import type { CoreFactory } from './coreClients';
import { median } from './stats';
import { DEFAULT_MODEL } from '../src/core/models';

export const KEY = 'AIzaBENCH-handoff-key-000000000000000000';
// Today's default model; it answers only in audio (the bench sends no turns, only setups).
const MODEL = DEFAULT_MODEL;

async function bareSetupRtt(baseUrl: string): Promise<number> {
  const url = `${baseUrl.replace('http', 'ws')}/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=${KEY}`;
  const ws = new WebSocket(url);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const t0 = performance.now();
  const done = new Promise((r) => ws.once('message', r));
  ws.send(JSON.stringify({ setup: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['AUDIO'] }, sessionResumption: {} } }));
  await done;
  const rtt = performance.now() - t0;
  const c0 = performance.now();
  ws.close(1000);
  await new Promise((r) => ws.once('close', r));
  closeRtts.push(performance.now() - c0);
  return rtt;
}

/**
 * The same round trip for a resume: setup carrying a handle (what a handoff sends), on a
 * socket opened beforehand, after the session's previous socket has closed.
 */
export async function bareResumeRtt(baseUrl: string): Promise<number> {
  const url = `${baseUrl.replace('http', 'ws')}/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent?key=${KEY}`;
  const setup = (handle?: string) => JSON.stringify({ setup: { model: `models/${MODEL}`, generationConfig: { responseModalities: ['AUDIO'] }, sessionResumption: handle ? { handle } : {} } });
  const first = new WebSocket(url);
  await new Promise((r, j) => (first.once('open', r), first.once('error', j)));
  const handle = await new Promise<string>((resolve) => {
    first.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.sessionResumptionUpdate?.newHandle) resolve(m.sessionResumptionUpdate.newHandle);
    });
    first.send(setup());
  });
  const second = new WebSocket(url);
  await new Promise((r, j) => (second.once('open', r), second.once('error', j)));
  first.close(1000);
  await new Promise((r) => first.once('close', r));
  const t0 = performance.now();
  const done = new Promise((r) => second.once('message', r));
  second.send(setup(handle));
  await done;
  const rtt = performance.now() - t0;
  second.close(1000);
  await new Promise((r) => second.once('close', r));
  return rtt;
}

/** The close handshake's round trip, measured on the same sockets as the setup round trip. */
const closeRtts: number[] = [];

/** Where the gaps are measured: an emulator's base URL and its goAway trigger. */
export interface GapTarget {
  baseUrl: string;
  goAwayAll(timeLeftMs: number): void;
}

/** `n` goAway handoffs in a row on one session: their gaps (ms). `core` picks the session core (the core A/B bench). */
export async function handoffGaps(
  baseUrl: string,
  emulator: GapTarget,
  warm: boolean,
  n: number,
  closeWait: 'ack' | 'frame' = 'ack',
  refusals = { count: 0 },
  core?: CoreFactory,
): Promise<number[]> {
  const options = { setup: { model: MODEL, responseModality: 'AUDIO' as const }, warmStandby: warm, handoffCloseWait: closeWait };
  const session = core ? core(baseUrl, KEY, options) : benchClient(baseUrl, KEY, options).session;
  const gaps: number[] = [];
  session.onDidEmit((e) => {
    if (e.type === 'disconnected' && e.code === 1011) refusals.count++;
  });
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

/**
 * @param networkDelayMs one-way delay added by a loopback proxy (0: straight to the emulator).
 * @param elsewhere an emulator already running elsewhere (another process) to measure against
 *   instead of one in this process; the proxy is not used then.
 */
export async function benchHandoffGap(rounds = 5, perRound = 10, networkDelayMs = 0, elsewhere?: GapTarget): Promise<Record<string, number>> {
  const emulator = elsewhere ? undefined : new LiveEmulator({ apiKey: KEY, pongDelayMs: 10_000 });
  const started = await emulator?.start();
  const proxy = started && networkDelayMs > 0 ? await startLatencyProxy({ host: '127.0.0.1', port: started.port }, networkDelayMs) : undefined;
  const baseUrl = elsewhere?.baseUrl ?? (proxy ? `http://127.0.0.1:${proxy.port}` : started!.baseUrl);
  const target: GapTarget = elsewhere ?? { baseUrl, goAwayAll: (ms) => emulator!.goAwayAll(ms) };
  const rtt: number[] = [];
  const resumeRtt: number[] = [];
  const warm: number[] = [];
  const cold: number[] = [];
  const frame: number[] = [];
  const refusals = { count: 0 };
  try {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < perRound; i++) rtt.push(await bareSetupRtt(baseUrl));
      for (let i = 0; i < perRound; i++) resumeRtt.push(await bareResumeRtt(baseUrl));
      warm.push(...(await handoffGaps(baseUrl, target, true, perRound, 'ack')));
      cold.push(...(await handoffGaps(baseUrl, target, false, perRound, 'ack')));
      frame.push(...(await handoffGaps(baseUrl, target, true, perRound, 'frame', refusals)));
    }
  } finally {
    await proxy?.stop();
    await emulator?.stop();
  }
  return {
    setupRttMs: median(rtt),
    resumeRttMs: median(resumeRtt),
    closeRttMs: median(closeRtts),
    warmGapMs: median(warm),
    coldGapMs: median(cold),
    frameGapMs: median(frame),
    frameRefusals: refusals.count,
    samples: rtt.length,
  };
}
