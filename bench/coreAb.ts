/**
 * `npm run bench -- core-ab`: today's session core against the one-class core of commit
 * 406fe46 (bench/buildOldCore.mjs), side by side in one process: CPU per server frame on the
 * frame server's stream (another process; the whole client, transport included), CPU per frame
 * of the core alone (frames pumped in process, framePump.ts: text answers, and audio with output
 * transcription as today's default model answers), and the goAway handoff gap on one emulator
 * (loopback, and behind a 5 ms proxy). Samples of A and B alternate, the order flipping every
 * round (ABBA), so machine noise and drift hit both alike; each round gives one new/old ratio,
 * and the rows print the median ratio with the spread over rounds.
 */
import { LiveEmulator } from '../src/emulator/liveEmulator';
import { loadCores, type CoreFactory } from './coreClients';
import { cpuMsOfTurns, FRAMES_PER_TURN, sessionCpuMs, startFrameServer } from './frameCpu';
import { bareResumeRtt, handoffGaps, KEY } from './handoffGap';
import { startLatencyProxy } from './latencyProxy';
import { framePump, PUMP_FRAMES_PER_TURN, type PumpStream } from './framePump';
import { DEFAULT_MODEL } from '../src/core/models';
import { median } from './stats';

export interface AbSamples {
  /** One value per sample, in the unit of the row. */
  new: number[];
  old: number[];
  /** Per round: the median of new's samples in that round over old's. */
  roundRatios: number[];
}

async function interleave(rounds: number, cores: { new: CoreFactory; old: CoreFactory }, sample: (core: CoreFactory) => Promise<number[]>): Promise<AbSamples> {
  const out: AbSamples = { new: [], old: [], roundRatios: [] };
  for (let r = 0; r < rounds; r++) {
    const order: Array<'new' | 'old'> = r % 2 === 0 ? ['new', 'old'] : ['old', 'new'];
    const got: Record<'new' | 'old', number[]> = { new: [], old: [] };
    for (const name of order) got[name] = await sample(cores[name]);
    out.new.push(...got.new);
    out.old.push(...got.old);
    out.roundRatios.push(median(got.new) / median(got.old));
  }
  return out;
}

/** CPU µs per server frame, `turns` turns of 51 frames per sample, one sample per core a round. */
export async function benchCoreCpu(rounds = 9, turns = 400): Promise<AbSamples & { frames: number }> {
  const cores = await loadCores();
  const server = await startFrameServer();
  const frames = turns * FRAMES_PER_TURN;
  try {
    // JIT warm-up of both, not counted.
    for (let i = 0; i < 2; i++) for (const core of [cores.new, cores.old]) await sessionCpuMs(server.baseUrl, 100, core);
    const s = await interleave(rounds, cores, async (core) => [((await sessionCpuMs(server.baseUrl, turns, core)) * 1000) / frames]);
    return { ...s, frames };
  } finally {
    server.stop();
  }
}

/** CPU ms of `turns` pumped turns through one session of `core` (no sockets: framePump.ts). */
async function pumpedCpuMs(core: CoreFactory, stream: PumpStream, turns: number): Promise<number> {
  const setup = stream === 'text' ? { model: 'gemini-live-2.5-flash-preview', responseModality: 'TEXT' as const } : { model: DEFAULT_MODEL, responseModality: 'AUDIO' as const };
  const session = core('http://127.0.0.1:9', KEY, { setup }, framePump(stream));
  await session.connect();
  let outputs = 0;
  const used = await cpuMsOfTurns(session, turns, (e) => {
    if (e.type === 'text' || e.type === 'audio') outputs++;
  });
  await session.close();
  if (outputs < turns * (PUMP_FRAMES_PER_TURN - 3)) throw new Error(`only ${outputs} outputs arrived for ${turns} turns`);
  return used;
}

/** CPU µs per server frame of the core alone (frames pumped in process), new and old interleaved. */
export async function benchCorePump(stream: PumpStream, rounds = 9, turns = Number(process.env.CORE_AB_PUMP_TURNS ?? 20000)): Promise<AbSamples & { frames: number }> {
  const cores = await loadCores();
  const frames = turns * PUMP_FRAMES_PER_TURN;
  for (let i = 0; i < 2; i++) for (const core of [cores.new, cores.old]) await pumpedCpuMs(core, stream, 200);
  const s = await interleave(rounds, cores, async (core) => [((await pumpedCpuMs(core, stream, turns)) * 1000) / frames]);
  return { ...s, frames };
}

/** Handoff gaps (ms, warm standby, default close mode) of both cores on one emulator, and the bare resume round trip. */
export async function benchCoreGap(rounds: number, perRound: number, networkDelayMs: number): Promise<AbSamples & { resumeRttMs: number; refusals: { new: number; old: number } }> {
  const cores = await loadCores();
  const emulator = new LiveEmulator({ apiKey: KEY, pongDelayMs: 10_000 });
  const started = await emulator.start();
  const proxy = networkDelayMs > 0 ? await startLatencyProxy({ host: '127.0.0.1', port: started.port }, networkDelayMs) : undefined;
  const baseUrl = proxy ? `http://127.0.0.1:${proxy.port}` : started.baseUrl;
  const target = { baseUrl, goAwayAll: (ms: number) => emulator.goAwayAll(ms) };
  const refusals = { new: { count: 0 }, old: { count: 0 } };
  const rtt: number[] = [];
  try {
    // Warm-up of both, not counted.
    for (const core of [cores.new, cores.old]) await handoffGaps(baseUrl, target, true, 3, 'frame', { count: 0 }, core);
    const s = await interleave(rounds, cores, async (core) => {
      for (let i = 0; i < Math.ceil(perRound / 2); i++) rtt.push(await bareResumeRtt(baseUrl));
      return handoffGaps(baseUrl, target, true, perRound, 'frame', core === cores.new ? refusals.new : refusals.old, core);
    });
    return { ...s, resumeRttMs: median(rtt), refusals: { new: refusals.new.count, old: refusals.old.count } };
  } finally {
    await proxy?.stop();
    await emulator.stop();
  }
}
