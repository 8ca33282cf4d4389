/**
 * `npm run bench -- soak24`: an accelerated 24-hour emulated conversation on today's
 * default model (text turns answered through output transcription), in token mode with
 * 30-minute tokens, goAway every 10 emulated minutes, a random drop in one turn of eight,
 * and a stale-handle reconnect every ~2 emulated hours. The emulator runs in a child
 * process (soak24Child.ts) on the same scaled time line, so its RSS is measured apart
 * from the client's heap. Every wait is bounded.
 *
 * `node --expose-gc --import tsx bench/soak24.ts [scale=360] [turnEveryMs=60000] [hours=24]`
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '../src/common/clock';
import { DEFAULT_MODEL } from '../src/core/models';
import type { SessionEvent } from '../src/core/sessionEvents';
import type { LiveEmulator } from '../src/emulator/liveEmulator';
import { startHarness, TEST_KEY } from '../test/integration/helpers/liveHarness';
import { AlignedScaledClock } from './alignedClock';
import { seededRandom } from '../test/fakes/builders';

const STALE_EVERY_MS = 2 * 60 * 60_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e as Error); });
  });
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

interface ChildMem { rssMb: number; heapMb: number; connections: number; counts: Record<string, number> }

class SoakEmulator {
  private constructor(private readonly child: ChildProcess, readonly baseUrl: string) {}

  static async start(clock: AlignedScaledClock, options: Record<string, unknown>): Promise<SoakEmulator> {
    const child = fork(join(__dirname, 'soak24Child.ts'), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, EMULATOR_OPTIONS: JSON.stringify(options), SOAK_CLOCK_SCALE: String(clock.scale), SOAK_CLOCK_ORIGIN: String(clock.originMs) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const baseUrl = await withTimeout(new Promise<string>((resolve, reject) => {
      child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('bad ready'))));
      child.once('exit', (code) => reject(new Error(`emulator child exited ${code}`)));
    }), 30_000, 'emulator child start');
    return new SoakEmulator(child, baseUrl);
  }

  private ask<T>(msg: object, key: string): Promise<T> {
    return withTimeout(new Promise<T>((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (key in m) { this.child.off('message', on); resolve(m as T); }
      };
      this.child.on('message', on);
      this.child.send(msg);
    }), 30_000, key);
  }

  async drop(): Promise<number> {
    return (await this.ask<{ dropped: number }>({ drop: true }, 'dropped')).dropped;
  }
  async staleHandles(on: boolean): Promise<void> {
    await this.ask({ staleHandles: on }, 'stale');
  }
  async mem(): Promise<ChildMem> {
    const m = await this.ask<{ rss: number; heap: number; connections: number; counts: Record<string, number> }>({ rss: true }, 'rss');
    return { rssMb: m.rss / 1e6, heapMb: m.heap / 1e6, connections: m.connections, counts: m.counts };
  }
  stop(): Promise<void> {
    return withTimeout(new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ stop: true });
    }), 10_000, 'child stop').catch(() => { this.child.kill('SIGKILL'); });
  }
}

export interface Soak24Result {
  scale: number;
  turnEveryMs: number;
  realSeconds: number;
  emulatedHours: number;
  turnsSent: number;
  answeredOnce: number;
  answeredNotOnce: Array<{ turn: number; times: number }>;
  handoffs: number;
  handoffsByReason: Record<string, number>;
  reconnects: number;
  connections: number;
  dropsRequested: number;
  socketsDropped: number;
  staleWindows: number;
  resumeFailed: number;
  tokensMinted: number;
  fatalErrors: number;
  overstayed1008: number;
  clientHeapMb: { turn30: number; end: number };
  emulatorRssMb: { turn30: number; end: number };
  emulatorHeapMb: { turn30: number; end: number };
  recordedEvents: number;
}

export async function benchSoak24(scale = 360, turnEveryMs = 60_000, hours = 24): Promise<Soak24Result> {
  const EMULATED_MS = hours * 60 * 60_000;
  const clock = new AlignedScaledClock(scale, performance.timeOrigin + performance.now());
  const random = seededRandom(20261130);
  const emu = await SoakEmulator.start(clock, {
    apiKey: TEST_KEY,
    connectionLifetimeMs: 600_000,
    goAwayLeadMs: 60_000,
    replyChunkDelayMs: 200,
    pongDelayMs: 10_000,
  });
  const h = await startHarness({
    recordAudio: false,
    clock,
    existing: { emulator: undefined as unknown as LiveEmulator, baseUrl: emu.baseUrl },
    // Keepalive in emulated time: 30 emulated minutes is 5 real seconds at 360×.
    deadAfterMs: 30 * 60_000,
    auth: { mode: 'token', apiKey: TEST_KEY, policy: { lifetimeMs: 30 * 60_000 }, renewal: { leadMs: 120_000 } },
    session: {
      setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' },
      // Timeouts in emulated time: a 1 ms loopback round trip is 360 ms emulated.
      setupTimeoutMs: 10 * 60_000,
      closeAckTimeoutMs: 5 * 60_000,
      responseTimeoutMs: 30 * 60_000,
      backoff: { baseMs: 1_000, capMs: 30_000, maxAttempts: 10 },
    },
  });
  const { session } = h.client;
  const completes = new Map<number, number>();
  let resumeFailedEvents = 0;
  const waiting = new Map<number, () => void>();
  const resumeWaiters = new Set<() => void>();
  session.onDidEmit((e: SessionEvent) => {
    if (e.type === 'turnComplete') {
      completes.set(e.turn, (completes.get(e.turn) ?? 0) + 1);
      waiting.get(e.turn)?.();
    }
    if (e.type === 'resumeFailed') {
      resumeFailedEvents++;
      for (const w of [...resumeWaiters]) w();
    }
  });
  const turnDone = (turn: number) =>
    withTimeout(new Promise<void>((resolve) => {
      if (completes.has(turn)) return resolve();
      waiting.set(turn, () => { waiting.delete(turn); resolve(); });
    }), 20_000, `turnComplete of turn ${turn} (last events: ${h.events.slice(-8).map((e) => e.type).join(', ')})`);

  const t0Real = performance.now();
  let sent = 0;
  let dropsRequested = 0;
  let socketsDropped = 0;
  let staleWindows = 0;
  let clientHeap30 = 0;
  let emu30: ChildMem | undefined;
  try {
    await session.connect();
    const start = clock.now();
    let nextStale = start + STALE_EVERY_MS;
    while (clock.now() - start < EMULATED_MS) {
      const turnStart = clock.now();
      const turn = session.sendText(`turn ${++sent} of the 24-hour soak, with some words ${'x'.repeat(100)}`);
      if (random() < 0.125) {
        await sleep(clock, random() * 1_000);
        socketsDropped += await emu.drop();
        dropsRequested++;
      }
      await turnDone(turn);
      if (sent === 30) {
        clientHeap30 = heapMb();
        emu30 = await emu.mem();
      }
      if (clock.now() >= nextStale) {
        // One reconnect on a refused (stale) handle: the session falls back to a fresh one.
        nextStale += STALE_EVERY_MS;
        staleWindows++;
        const seen = resumeFailedEvents;
        await emu.staleHandles(true);
        socketsDropped += await emu.drop();
        dropsRequested++;
        await withTimeout(new Promise<void>((resolve) => {
          const w = () => { if (resumeFailedEvents > seen) { resumeWaiters.delete(w); resolve(); } };
          resumeWaiters.add(w);
          w();
        }), 20_000, 'resumeFailed after a stale handle').catch((e: Error) => process.stderr.write(`warning: ${e.message}\n`));
        await emu.staleHandles(false);
      }
      const wait = turnEveryMs - (clock.now() - turnStart);
      if (wait > 0) await sleep(clock, wait);
    }
    const emulatedHours = (clock.now() - start) / 3_600_000;
    const clientHeapEnd = heapMb();
    const emuEnd = await emu.mem();
    const stats = session.getSessionStats();
    const notOnce: Array<{ turn: number; times: number }> = [];
    for (let t = 1; t <= sent; t++) {
      const n = completes.get(t) ?? 0;
      if (n !== 1) notOnce.push({ turn: t, times: n });
    }
    const byReason: Record<string, number> = {};
    for (const e of h.events) if (e.type === 'handoff' && e.phase === 'completed') byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    return {
      scale,
      turnEveryMs,
      realSeconds: (performance.now() - t0Real) / 1000,
      emulatedHours,
      turnsSent: sent,
      answeredOnce: sent - notOnce.length,
      answeredNotOnce: notOnce.slice(0, 20),
      handoffs: stats.handoffs,
      handoffsByReason: byReason,
      reconnects: stats.reconnects,
      connections: stats.connections,
      dropsRequested,
      socketsDropped,
      staleWindows,
      resumeFailed: Math.max(stats.resumeFailures, resumeFailedEvents),
      tokensMinted: emuEnd.counts['tokensMintedDistinct'] ?? 0,
      fatalErrors: h.events.filter((e) => e.type === 'error' && e.fatal).length,
      overstayed1008: h.events.filter((e) => e.type === 'disconnected' && e.code === 1008).length,
      clientHeapMb: { turn30: clientHeap30, end: clientHeapEnd },
      emulatorRssMb: { turn30: emu30?.rssMb ?? NaN, end: emuEnd.rssMb },
      emulatorHeapMb: { turn30: emu30?.heapMb ?? NaN, end: emuEnd.heapMb },
      recordedEvents: h.events.length,
    };
  } finally {
    await h.stop();
    await emu.stop();
  }
}

if (require.main === module) {
  const [scaleRaw, everyRaw, hoursRaw] = process.argv.slice(2);
  benchSoak24(Number(scaleRaw ?? 360), Number(everyRaw ?? 60_000), Number(hoursRaw ?? 24)).then(
    (r) => { console.log(JSON.stringify(r, null, 2)); process.exit(0); },
    (e: unknown) => { console.error(e); process.exit(1); },
  );
}
