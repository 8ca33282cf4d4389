/**
 * `npm run bench`: performance as ratios measured side by side in one run (absolute
 * times on these shared 2-core machines mean little; ratios hold).
 */
import * as esbuild from 'esbuild';
import { benchFrameCpu } from './frameCpu';
import { benchFrameWriteCost, benchGapWithEmulatorElsewhere } from './handoffAnalysis';
import { benchHandoffGap } from './handoffGap';
import { benchManyTurns, benchSlowConsumer } from './emulatorMemory';
import { benchSoakHeap } from './soakHeap';
import { benchSoak24 } from './soak24';
import { benchGoAwayStorm } from './goAwayStorm';
import { benchDropsEvery5s } from './dropsEvery5s';
import { fmt, median, quantile } from './stats';
import { benchCoreCpu, benchCoreGap, benchCorePump, type AbSamples } from './coreAb';
import { benchActivation } from './activation';
import { benchMarkdownStream } from './markdownStream';
import { benchSilenceGate } from './silenceGate';
import { benchCaptureCpu, benchCaptureToSocket, benchInterruptToSilence, benchPlaybackCpu } from './voice';

/** "1.02× (rounds 0.97–1.08, n 9)": the median per-round new/old ratio and its spread. */
function abRatio(s: AbSamples): string {
  const r = s.roundRatios;
  return `${fmt(median(r))}× (rounds ${fmt(Math.min(...r))}–${fmt(Math.max(...r))}, IQR ${fmt(quantile(r, 0.25))}–${fmt(quantile(r, 0.75))}, n ${r.length})`;
}

function row(name: string, value: string, target: string): void {
  console.log(`${name.padEnd(58)} ${value.padEnd(28)} ${target}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  console.log(`MoonTalk Live benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  row('measure', 'result', 'target');
  if (!only || only === 'handoff') {
    for (const delay of [0, 5]) {
      const h = await benchHandoffGap(delay ? 2 : 5, 10, delay);
      const where = delay ? `${delay} ms each way (proxy)` : 'loopback';
      row(`[${where}] bare setup round trip (new / resume)`, `${fmt(h.setupRttMs)} / ${fmt(h.resumeRttMs)} ms`, 'the reference');
      row(`[${where}] handoff gap, warm, setup behind the close frame (default)`, `${fmt(h.frameGapMs / h.resumeRttMs)}×  (${fmt(h.frameGapMs)} ms; ${h.frameRefusals}/${h.samples} refused 1011)`, '≤ 1.5× the resume RTT');
      row(`[${where}] handoff gap, warm, after the close is acknowledged`, `${fmt(h.warmGapMs / h.resumeRttMs)}×  (${fmt(h.warmGapMs)} ms)`, 'safe fallback mode');
      row(`[${where}] handoff gap, cold reconnect`, `${fmt(h.coldGapMs / h.resumeRttMs)}×  (${fmt(h.coldGapMs)} ms)`, 'for comparison');
    }
  }
  if (only === 'handoff-analysis') {
    // Not in the default run: why the loopback gap stays above 1.5× (handoffAnalysis.ts).
    const h = await benchGapWithEmulatorElsewhere();
    row('[loopback, emulator in its own process] bare round trip (resume)', `${fmt(h.resumeRttMs)} ms`, 'the reference');
    row('[loopback, emulator in its own process] handoff gap (default mode)', `${fmt(h.frameGapMs / h.resumeRttMs)}×  (${fmt(h.frameGapMs)} ms; ${h.frameRefusals}/${h.samples} refused 1011)`, '≤ 1.5× the resume RTT');
    const w = await benchFrameWriteCost();
    row('one frame on an idle connection to another process: ws send', `${fmt(w.wsSendMs)} ms  (${fmt(w.wsSendMs / h.resumeRttMs)}× the RTT)`, 'paid once in the RTT');
    row('  ws close (the close frame a handoff writes first)', `${fmt(w.wsCloseMs)} ms  (${fmt(w.wsCloseMs / h.resumeRttMs)}× the RTT)`, 'paid again in the gap');
    row('  raw socket write of the same bytes', `${fmt(w.rawWriteMs)} ms`, 'the kernel part');
  }
  if (!only || only === 'cpu') {
    const c = await benchFrameCpu();
    row(`CPU per server frame, session layer / bare SDK (${c.frames} frames)`, `${fmt(c.oursUsPerFrame / c.sdkUsPerFrame)}×  (${fmt(c.oursUsPerFrame)} / ${fmt(c.sdkUsPerFrame)} µs)`, '≤ 1.1×');
  }
  if (only === 'core-ab') {
    // Not in the default run (about 2 minutes): today's core against the one-class core of
    // 406fe46 (bench/buildOldCore.mjs builds it), interleaved in one process.
    const rounds = Number(process.env.CORE_AB_ROUNDS ?? 11);
    const c = await benchCoreCpu(rounds, Number(process.env.CORE_AB_TURNS ?? 1000));
    row(`core A/B: CPU per server frame, new / old core (${c.frames} frames a sample)`, abRatio(c), '≤ 1.0× within noise');
    row('  median µs per frame, new / old (whole client: transport + core)', `${fmt(median(c.new))} / ${fmt(median(c.old))} µs`, '');
    for (const stream of ['text', 'audio'] as const) {
      const p = await benchCorePump(stream, rounds);
      row(`core A/B, core alone (frames pumped in process), ${stream} answers`, abRatio(p), '≤ 1.0× within noise');
      row('  median µs per frame, new / old', `${fmt(median(p.new), 3)} / ${fmt(median(p.old), 3)} µs`, '');
    }
    for (const delay of [0, 5]) {
      const g = await benchCoreGap(delay ? Math.ceil(rounds / 2) : rounds, 10, delay);
      const where = delay ? `${delay} ms each way (proxy)` : 'loopback';
      row(`core A/B [${where}]: handoff gap, new / old core`, abRatio(g), '≤ 1.0× within noise');
      row(
        '  median gap new / old, in resume RTTs',
        `${fmt(median(g.new) / g.resumeRttMs)}× / ${fmt(median(g.old) / g.resumeRttMs)}×  (${fmt(median(g.new))} / ${fmt(median(g.old))} ms; RTT ${fmt(g.resumeRttMs)} ms; 1011 ${g.refusals.new}/${g.refusals.old})`,
        '',
      );
    }
  }
  if (!only || only === 'soak') {
    const s = await benchSoakHeap();
    row('heap after a 2-hour emulated soak / heap at its start', `${fmt(s.endMb / s.startMb)}×  (${fmt(s.startMb, 1)} → ${fmt(s.endMb, 1)} MB, ${s.turns} turns)`, '≈ 1 (flat)');
  }
  if (only === 'emulator-memory') {
    // Not in the default run (about a minute): the emulator's RSS in a process of its own.
    const t = await benchManyTurns(3000);
    row('emulator RSS, 3,000 turns on one resumable session', `${fmt(t.beforeMb, 0)} → ${fmt(t.afterMb, 0)} MB`, 'flat (was 102 → 704 MB)');
    const c = await benchSlowConsumer(3000);
    row('emulator RSS, a client that stops reading', `${fmt(c.beforeMb, 0)} → ${fmt(c.afterMb, 0)} MB, cut after ${c.sent} requests`, 'cut, flat (was 82 → 859 MB after 3,000, kept)');
  }
  if (only === 'soak24') {
    // Not in the default run (about 4 real minutes at 360×): 24 emulated hours, token mode,
    // goAway, drops, stale handles. The same runner as test/integration/soak24.test.ts (720×).
    const s = await benchSoak24(Number(process.env.SOAK24_SCALE ?? 360), Number(process.env.SOAK24_TURN_EVERY_MS ?? 60_000));
    const m = s.memory;
    row('24 h soak: turns sent / answered exactly once', `${s.turnsSent} / ${s.answeredOnce}`, 'all, once');
    row('  handoffs goAway / tokenRenewal (goAways sent), reconnects, connections', `${s.handoffsByReason['goAway']} / ${s.handoffsByReason['tokenRenewal']} (${s.goAwaysSent}), ${s.reconnects}, ${s.connections}`, '');
    row('  drops requested (sockets dropped), stale windows, resumeFailed', `${s.dropsRequested} (${s.socketsDropped}), ${s.staleWindows}, ${s.resumeFailed}`, '');
    row('  tokens minted / renewed, fatal errors, 1008 closes', `${s.tokensMinted} / ${s.tokensRenewed}, ${s.fatalErrors}, ${JSON.stringify(s.closes1008)}`, '≥ 48, 0, none');
    row('  client heap after gc, turn 30 → end', `${fmt(m.turn30.clientHeapMb, 1)} → ${fmt(m.end.clientHeapMb, 1)} MB (every 4 h: ${s.clientHeapSamplesMb.map((x) => fmt(x, 1)).join(', ')})`, 'flat');
    row('  emulator RSS (child process) turn 30 → end', `${fmt(m.turn30.emulatorRssMb, 0)} → ${fmt(m.end.emulatorRssMb, 0)} MB (heap ${fmt(m.turn30.emulatorHeapMb, 1)} → ${fmt(m.end.emulatorHeapMb, 1)})`, 'flat');
    row('  real time (clock scale)', `${fmt(s.realSeconds, 0)} s (${s.scale}×, ${fmt(s.emulatedHours, 2)} emulated h)`, '≤ 300 s');
  }
  if (only === 'drops5s') {
    // Not in the default run (150 real seconds): the CLI on a link that drops every 5 s, before
    // the fix (a completed turn resets the backoff) and now, side by side.
    for (const r of await benchDropsEvery5s(Number(process.env.DROPS5S_SECONDS ?? 150))) {
      row(
        `drops every 5 s, CLI ${r.label}: connections / drops in ${r.seconds} s`,
        `${r.connections} / ${r.drops}, ${r.turnsAnswered} turns answered, longest wait ${fmt(r.maxWaitMs / 1000, 1)} s`,
        'never gives up',
      );
      row('  how it ended', r.exitedAfterS === undefined ? 'still connected at the end (stopped)' : `exit ${r.exitCode} after ${fmt(r.exitedAfterS, 0)} s: ${r.fatalMessage ?? ''}`, '');
    }
  }
  if (only === 'storm') {
    // Not in the default run (about 20 s per build): the CLI against a zero-lifetime emulator for 15 s.
    for (const r of await benchGoAwayStorm()) {
      row(`goAway storm, ${r.label}: connections in ${r.seconds} s`, `${r.connections} (CLI ${r.exitedAfterS === undefined ? `killed, ${r.signal ?? r.exitCode}` : `exit ${r.exitCode} after ${fmt(r.exitedAfterS, 1)} s`})`, 'bounded (was 4,984)');
      row('  CLI events / last stderr line', `${JSON.stringify(r.events)} / ${r.lastStderr.at(-1) ?? ''}`, '');
    }
  }
  if (!only || only === 'voice') {
    const capture = benchCaptureCpu();
    const playback = benchPlaybackCpu();
    row('capture path CPU / audio time (48 kHz → 16 kHz frames)', `${fmt(capture * 100, 2)} %  (real-time factor ${fmt(capture, 4)})`, '≪ 1');
    row('playback path CPU / audio time (24 kHz → 48 kHz, jitter buffer)', `${fmt(playback * 100, 2)} %  (real-time factor ${fmt(playback, 4)})`, '≪ 1');
    const lat = await benchCaptureToSocket();
    row('capture-to-socket after a frame completes, p95 / 5 ms budget', `${fmt(lat.p95Ms / 5)}×  (median ${fmt(lat.medianMs)} ms, p95 ${fmt(lat.p95Ms)} ms)`, '≤ 1 (frame 40 ms + 5 ms)');
    const cut = benchInterruptToSilence();
    row('interrupted-to-silence: sounding quanta after the flush', `${cut.quantaAfterFlush}  (silent within ${fmt(cut.msAtMost)} ms)`, '0 (within one 2.67 ms quantum)');
  }
  if (!only || only === 'voice' || only === 'gate') {
    const g = await benchSilenceGate();
    row(
      'audio sent, silence-gated / whole (3 utterances + pauses)',
      `${fmt(g.gatedSeconds / g.fullSeconds, 2)}×  (${fmt(g.gatedSeconds, 1)} / ${fmt(g.fullSeconds, 1)} s; speech ${fmt(g.speechSeconds, 1)} s)`,
      '≤ 0.5×',
    );
    row('  words clipped: emulator transcripts gated = whole', g.sameTranscripts ? `none (${g.transcripts.join(' ')})` : `CLIPPED (${g.transcripts.join(' ')})`, 'none');
  }
  if (!only || only === 'activation') {
    const a = benchActivation();
    row('extension load + activate / loading @google/genai', `${fmt((a.loadMs + a.activateMs) / a.sdkLoadMs)}×  (${fmt(a.loadMs)} + ${fmt(a.activateMs)} ms vs ${fmt(a.sdkLoadMs)} ms)`, '< 1 (lazy: onCommand/onView)');
  }
  if (!only || only === 'markdown') {
    const m = await benchMarkdownStream();
    const kb = (n: number) => `${fmt(n / 1024, 0)} KiB`;
    row('Markdown renderer, minified: marked / markdown-it', `${fmt(m.bytes.marked / m.bytes.markdownIt)}×  (${kb(m.bytes.marked)} / ${kb(m.bytes.markdownIt)}; DOMPurify ${kb(m.bytes.dompurify)})`, 'the smaller (marked)');
    row(`  whole re-render per chunk, marked / markdown-it (${fmt(m.answerChars / 1024, 0)} KiB, ${m.chunks} chunks)`, `${fmt(m.wholeMsPerChunk.marked / m.wholeMsPerChunk.markdownIt)}×  (${fmt(m.wholeMsPerChunk.marked, 2)} / ${fmt(m.wholeMsPerChunk.markdownIt, 2)} ms)`, '≤ 1');
    row('  streamed answer per chunk, tail only / whole re-render (marked)', `${fmt(m.tailMsPerChunk / m.wholeMsPerChunk.marked, 2)}×  (${fmt(m.tailMsPerChunk, 3)} ms)`, '≪ 1 (flat in the answer length)');
  }
  if (!only || only === 'size') {
    // What ships: the same bundles minified, built in memory (esbuild.mjs --production options).
    const targets: Array<[string, esbuild.BuildOptions]> = [
      ['extension', { entryPoints: ['src/extension/extension.ts'], platform: 'node', format: 'cjs', external: ['vscode', 'bufferutil', 'utf-8-validate'] }],
      ['webview', { entryPoints: ['webview/main.ts'], platform: 'browser', format: 'iife' }],
      ['cli', { entryPoints: ['src/cli/main.ts'], platform: 'node', format: 'cjs', external: ['bufferutil', 'utf-8-validate'] }],
    ];
    for (const [name, options] of targets) {
      const out = await esbuild.build({ ...options, bundle: true, minify: true, write: false, legalComments: 'none', logLevel: 'silent' });
      const bytes = out.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
      row(`bundle size, ${name} (minified, as shipped)`, `${fmt(bytes / 1024, 0)} KiB`, '');
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
