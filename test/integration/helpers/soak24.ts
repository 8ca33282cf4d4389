/**
 * The accelerated 24-hour soak, shared by its test (test/integration/soak24.test.ts) and its
 * bench row (`npm run bench -- soak24`): a day-long conversation on today's default model
 * (text turns answered through output transcription) in token mode with 30-minute tokens,
 * goAway every 10 emulated minutes, random drops inside turns, and a reconnect on a refused
 * (stale) handle every 2 emulated hours.
 *
 * The emulator runs in a child process (soak24Emulator.ts) on the same scaled time line
 * (AlignedScaledClock), so its memory is measured apart from the client's. The client side
 * keeps counters, not events: a fixed array of answer counts per turn, a ring of the last
 * events and log lines for error messages. So the client's heap after gc at turn 30 against
 * the end measures the client, not the harness' bookkeeping. Every wait is bounded.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '../../../src/common/clock';
import type { Logger } from '../../../src/common/logger';
import { Redactor } from '../../../src/common/redact';
import { DEFAULT_MODEL } from '../../../src/core/models';
import type { SessionEvent } from '../../../src/core/sessionEvents';
import { createLiveClient } from '../../../src/live/liveClient';
import { seededRandom } from '../../fakes/builders';
import { AlignedScaledClock } from './alignedScaledClock';
import { TEST_KEY } from './liveHarness';

export interface Soak24Options {
  /** Emulated ms per real ms. Real time is about 86 400 / scale seconds for 24 hours. */
  scale: number;
  /** One user turn this often (emulated ms). Default 60 000. */
  turnEveryMs?: number;
  /** Emulated hours. Default 24. */
  hours?: number;
  /** One turn in `dropEvery` has its connection dropped somewhere inside it. Default 16. */
  dropEvery?: number;
  /** A reconnect on a refused (stale) handle this often (emulated ms). Default 2 h. */
  staleEveryMs?: number;
  /** The longest real wait for any one turn, stale-handle refusal, or emulator reply. Default 20 000. */
  waitMs?: number;
  seed?: number;
  /** Called right after each memory measurement (a heap snapshot there shows what grew). */
  afterMeasure?: (at: 'turn30' | 'half' | 'end') => void;
}

/** Memory of the client (this process, heap after gc) and of the emulator (its child process). */
export interface SoakMemory {
  clientHeapMb: number;
  emulatorRssMb: number;
  emulatorHeapMb: number;
  /** Memory outside the emulator's JS heap (Buffers: the PCM it speaks). */
  emulatorExternalMb: number;
}

export interface Soak24Result {
  scale: number;
  turnEveryMs: number;
  realSeconds: number;
  emulatedHours: number;
  turnsSent: number;
  /** Turns whose turnComplete came exactly once. */
  answeredOnce: number;
  /** The first turns answered other than once (0 or 2+ times), at most 20. */
  answeredNotOnce: Array<{ turn: number; times: number }>;
  handoffsByReason: Record<string, number>;
  goAwaysSent: number;
  reconnects: number;
  connections: number;
  dropsRequested: number;
  /** Sockets the emulator actually dropped (a drop between connections finds none). */
  socketsDropped: number;
  staleWindows: number;
  /** resumeFailed events: a stale handle was refused and the session went on in a fresh one. */
  resumeFailed: number;
  tokensMinted: number;
  tokensRenewed: number;
  renewalFailures: number;
  fatalErrors: number;
  /** Sockets closed with 1008 (a token used past its expiry, or refused for a new session), by reason. */
  closes1008: Record<string, number>;
  /** Turns the emulator answered (resends after drops included). */
  emulatorTurnsAnswered: number;
  warnLines: number;
  /**
   * After turn 30, half way, and at the end. Most of what grows after turn 30 is V8's compiled
   * code and feedback for paths met later (heap snapshots: about 1 MB in 8 hours, data objects
   * about 0.02 MB), so the second half (12 h → end) shows a leak most clearly.
   */
  memory: { turn30: SoakMemory; half: SoakMemory; end: SoakMemory };
  /** Client heap after gc every 4 emulated hours, for the shape of the curve. */
  clientHeapSamplesMb: number[];
  /** The last events and log lines, for the message of a failed assertion. */
  lastEvents: string[];
  lastLogLines: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e as Error);
      },
    );
  });
}

function heapAfterGcMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the soak measures heap after gc: run node with --expose-gc');
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

/** A fixed-size ring of the last strings: bounded bookkeeping for error messages. */
class Ring {
  private readonly items: string[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  push(s: string): void {
    if (this.items.length < this.size) this.items.push(s);
    else this.items[this.next] = s;
    this.next = (this.next + 1) % this.size;
  }
  list(): string[] {
    return this.items.length < this.size ? [...this.items] : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

interface ChildMemory {
  rss: number;
  heap: number;
  external: number;
  connections: number;
  counts: Record<string, number>;
}

/** The emulator in its own process; every request to it is bounded. */
class SoakEmulator {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly waitMs: number,
  ) {}

  static async start(clock: AlignedScaledClock, options: Record<string, unknown>, waitMs: number): Promise<SoakEmulator> {
    const child = fork(join(__dirname, 'soak24Emulator.ts'), [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, EMULATOR_OPTIONS: JSON.stringify(options), SOAK_CLOCK_SCALE: String(clock.scale), SOAK_CLOCK_ORIGIN: String(clock.originMs) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const baseUrl = await withTimeout(
        new Promise<string>((resolve, reject) => {
          child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('the emulator child sent no base URL'))));
          child.once('exit', (code) => reject(new Error(`the emulator child exited with ${code}`)));
        }),
        30_000,
        'the emulator child starting',
      );
      return new SoakEmulator(child, baseUrl, waitMs);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  private ask<T>(msg: object, key: string): Promise<T> {
    let on: ((m: Record<string, unknown>) => void) | undefined;
    const answer = new Promise<T>((resolve) => {
      on = (m) => {
        if (key in m) resolve(m as T);
      };
      this.child.on('message', on);
      this.child.send(msg);
    });
    return withTimeout(answer, this.waitMs, `the emulator child answering ${key}`).finally(() => this.child.off('message', on!));
  }

  async drop(): Promise<number> {
    return (await this.ask<{ dropped: number }>({ drop: true }, 'dropped')).dropped;
  }

  async staleHandles(on: boolean): Promise<void> {
    await this.ask({ staleHandles: on }, 'stale');
  }

  async memory(): Promise<ChildMemory> {
    return this.ask<ChildMemory>({ rss: true }, 'rss');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await withTimeout(
      new Promise<void>((resolve) => {
        this.child.once('exit', () => resolve());
        this.child.send({ stop: true });
      }),
      10_000,
      'the emulator child stopping',
    ).catch(() => {
      this.child.kill('SIGKILL');
    });
  }
}

/** Counts log lines by level and keeps the last few; nothing else. */
function countingLogger(counts: { warn: number }, ring: Ring): Logger {
  const logger: Logger = {
    trace() {},
    debug() {},
    info() {},
    warn(message: string) {
      counts.warn++;
      ring.push(`[warn] ${message}`);
    },
    error(message: string | Error) {
      ring.push(`[error] ${String(message)}`);
    },
    child() {
      return logger;
    },
  };
  return logger;
}

export async function runSoak24(options: Soak24Options): Promise<Soak24Result> {
  const scale = options.scale;
  const turnEveryMs = options.turnEveryMs ?? 60_000;
  const emulatedMs = (options.hours ?? 24) * 60 * 60_000;
  const dropEvery = options.dropEvery ?? 16;
  const staleEveryMs = options.staleEveryMs ?? 2 * 60 * 60_000;
  const waitMs = options.waitMs ?? 20_000;
  const clock = new AlignedScaledClock(scale, performance.timeOrigin + performance.now());
  const random = seededRandom(options.seed ?? 20261130);
  const emu = await SoakEmulator.start(
    clock,
    { apiKey: TEST_KEY, connectionLifetimeMs: 600_000, goAwayLeadMs: 60_000, replyChunkDelayMs: 200, pongDelayMs: 10_000 },
    waitMs,
  );
  const logRing = new Ring(20);
  const eventRing = new Ring(16);
  const logCounts = { warn: 0 };
  const redactor = new Redactor();
  const client = createLiveClient({
    baseUrl: emu.baseUrl,
    // 30-minute tokens. A fresh token may start a session for 10 emulated minutes (default 1):
    // at 720× one minute is 83 ms of real time, less than one stall of a loaded 2-core machine
    // between minting a token and its setup reaching the emulator.
    auth: { mode: 'token', apiKey: TEST_KEY, policy: { lifetimeMs: 30 * 60_000, newSessionWindowMs: 10 * 60_000 }, renewal: { leadMs: 120_000 } },
    clock,
    logger: countingLogger(logCounts, logRing),
    redactor,
    // Keepalive in emulated time: 30 emulated minutes is seconds of real time.
    deadAfterMs: 30 * 60_000,
    session: {
      setup: { model: DEFAULT_MODEL, responseModality: 'TEXT' },
      // Timeouts in emulated time: a 1 ms loopback round trip is `scale` ms emulated.
      setupTimeoutMs: 10 * 60_000,
      closeAckTimeoutMs: 5 * 60_000,
      responseTimeoutMs: 30 * 60_000,
      // Switch at the latest 30 emulated seconds before a goAway deadline or a token's expiry
      // (default 2 s): at 480× the default is 4 ms of real time, less than one scheduling stall
      // of a loaded machine (a goAway read 50 ms late moves the client's idea of the deadline
      // 24 emulated seconds past the server's); 30 s is 62 ms.
      handoffMarginMs: 30_000,
      backoff: { baseMs: 1_000, capMs: 30_000, maxAttempts: 10 },
    },
  });
  const { session } = client;

  // The bookkeeping, all allocated before the first measurement: counters and fixed arrays.
  const maxTurns = Math.ceil(emulatedMs / turnEveryMs) + 16;
  const completes = new Uint8Array(maxTurns + 1);
  const handoffsByReason: Record<string, number> = { goAway: 0, tokenRenewal: 0, refresh: 0 };
  const counts = { resumeFailed: 0, fatal: 0, renewed: 0, renewalFailed: 0 };
  /** Keyed by the close reason's first words: a handful of keys, not one per close. */
  const closes1008: Record<string, number> = {};
  let wake: (() => void) | undefined;
  session.onDidEmit((e: SessionEvent) => {
    if (e.type !== 'text' && e.type !== 'usage' && e.type !== 'audio') eventRing.push(e.type === 'disconnected' ? `disconnected ${e.code}` : e.type);
    if (e.type === 'turnComplete') {
      if (e.turn <= maxTurns) completes[e.turn] = Math.min(255, completes[e.turn]! + 1);
    } else if (e.type === 'handoff' && e.phase === 'completed') handoffsByReason[e.reason] = (handoffsByReason[e.reason] ?? 0) + 1;
    else if (e.type === 'resumeFailed') counts.resumeFailed++;
    else if (e.type === 'error' && e.fatal) counts.fatal++;
    else if (e.type === 'disconnected' && e.code === 1008) {
      const why = e.reason.slice(0, 60);
      closes1008[why] = (closes1008[why] ?? 0) + 1;
    }
    wake?.();
  });
  client.renewal?.onDidChange((e) => {
    if (e.type === 'renewed') counts.renewed++;
    if (e.type === 'renewalFailed') counts.renewalFailed++;
  });
  /** Resolves when `done()` holds, checked after every session event; bounded by `waitMs`. */
  const until = (done: () => boolean, what: string) =>
    withTimeout(
      new Promise<void>((resolve) => {
        if (done()) return resolve();
        wake = () => {
          if (!done()) return;
          wake = undefined;
          resolve();
        };
      }),
      waitMs,
      `${what} (last events: ${eventRing.list().join(', ')})`,
    ).finally(() => (wake = undefined));

  const memoryNow = async (): Promise<SoakMemory> => {
    const m = await emu.memory();
    return { clientHeapMb: heapAfterGcMb(), emulatorRssMb: m.rss / 1e6, emulatorHeapMb: m.heap / 1e6, emulatorExternalMb: m.external / 1e6 };
  };

  const t0Real = performance.now();
  let sent = 0;
  let dropsRequested = 0;
  let socketsDropped = 0;
  let staleWindows = 0;
  let turn30: SoakMemory | undefined;
  let half: SoakMemory | undefined;
  const clientHeapSamplesMb: number[] = [];
  try {
    await withTimeout(session.connect(), waitMs, 'the first connection');
    const start = clock.now();
    let nextStale = start + staleEveryMs;
    let nextSample = start + 4 * 60 * 60_000;
    const halfWay = start + emulatedMs / 2;
    while (clock.now() - start < emulatedMs && sent < maxTurns) {
      const turnStart = clock.now();
      const turn = session.sendText(`turn ${++sent} of the 24-hour soak, with some words ${'x'.repeat(100)}`);
      if (random() < 1 / dropEvery) {
        await sleep(clock, random() * 1_000);
        socketsDropped += await emu.drop();
        dropsRequested++;
      }
      await until(() => completes[turn]! > 0, `turnComplete of turn ${turn}`);
      if (sent === 30) {
        turn30 = await memoryNow();
        options.afterMeasure?.('turn30');
      }
      if (!half && clock.now() >= halfWay) {
        half = await memoryNow();
        options.afterMeasure?.('half');
      }
      if (clock.now() >= nextSample) {
        nextSample += 4 * 60 * 60_000;
        clientHeapSamplesMb.push(heapAfterGcMb());
      }
      if (clock.now() >= nextStale) {
        // A reconnect on a refused (stale) handle: the session must go on in a fresh one.
        nextStale += staleEveryMs;
        staleWindows++;
        const seen = counts.resumeFailed;
        await emu.staleHandles(true);
        socketsDropped += await emu.drop();
        dropsRequested++;
        try {
          await until(() => counts.resumeFailed > seen, 'resumeFailed after a stale handle');
        } finally {
          await emu.staleHandles(false);
        }
      }
      const wait = turnEveryMs - (clock.now() - turnStart);
      if (wait > 0) await sleep(clock, wait);
    }
    const emulatedHours = (clock.now() - start) / 3_600_000;
    // Let a last drop's reconnect settle, so a late duplicate turnComplete would be counted.
    await sleep(clock, 5 * 60_000);
    const end = await memoryNow();
    options.afterMeasure?.('end');
    const child = await emu.memory();
    const stats = session.getSessionStats();
    const notOnce: Array<{ turn: number; times: number }> = [];
    for (let t = 1; t <= sent; t++) if (completes[t] !== 1) notOnce.push({ turn: t, times: completes[t]! });
    return {
      scale,
      turnEveryMs,
      realSeconds: (performance.now() - t0Real) / 1000,
      emulatedHours,
      turnsSent: sent,
      answeredOnce: sent - notOnce.length,
      answeredNotOnce: notOnce.slice(0, 20),
      handoffsByReason,
      goAwaysSent: child.counts['goAwaySent'] ?? 0,
      reconnects: stats.reconnects,
      connections: stats.connections,
      dropsRequested,
      socketsDropped,
      staleWindows,
      resumeFailed: counts.resumeFailed,
      tokensMinted: child.counts['tokensMintedDistinct'] ?? 0,
      tokensRenewed: counts.renewed,
      renewalFailures: counts.renewalFailed,
      fatalErrors: counts.fatal,
      closes1008,
      emulatorTurnsAnswered: child.counts['turnAnswered'] ?? 0,
      warnLines: logCounts.warn,
      memory: { turn30: turn30 ?? end, half: half ?? end, end },
      clientHeapSamplesMb,
      lastEvents: eventRing.list(),
      lastLogLines: logRing.list(),
    };
  } finally {
    await session.close().catch(() => {});
    client.dispose();
    await emu.stop();
  }
}
