/**
 * `npm run bench`: performance as ratios measured side by side in one run (absolute
 * times on these shared 2-core machines mean little; ratios hold).
 */
import { statSync } from 'node:fs';
import { benchFrameCpu } from './frameCpu';
import { benchHandoffGap } from './handoffGap';
import { benchSoakHeap } from './soakHeap';
import { fmt } from './stats';

function row(name: string, value: string, target: string): void {
  console.log(`${name.padEnd(58)} ${value.padEnd(28)} ${target}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  console.log(`MoonTalk Live benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  row('measure', 'result', 'target');
  if (!only || only === 'handoff') {
    const h = await benchHandoffGap();
    row('goAway handoff gap, warm standby / bare setup RTT', `${fmt(h.warmGapMs / h.setupRttMs)}×  (${fmt(h.warmGapMs)} / ${fmt(h.setupRttMs)} ms)`, '≤ 1.5×');
    row('goAway handoff gap, cold reconnect / bare setup RTT', `${fmt(h.coldGapMs / h.setupRttMs)}×  (${fmt(h.coldGapMs)} ms)`, 'for comparison');
    row('warm / cold handoff gap', `${fmt(h.warmGapMs / h.coldGapMs)}×`, '< 1');
    row('warm gap / (close handshake + setup RTT)', `${fmt(h.warmGapMs / (h.closeRttMs + h.setupRttMs))}×  (close ${fmt(h.closeRttMs)} ms)`, '≈ 1: no cost beyond the two round trips');
  }
  if (!only || only === 'cpu') {
    const c = await benchFrameCpu();
    row(`CPU per server frame, session layer / bare SDK (${c.frames} frames)`, `${fmt(c.oursUsPerFrame / c.sdkUsPerFrame)}×  (${fmt(c.oursUsPerFrame)} / ${fmt(c.sdkUsPerFrame)} µs)`, '≤ 1.1×');
  }
  if (!only || only === 'soak') {
    const s = await benchSoakHeap();
    row('heap after a 2-hour emulated soak / heap at its start', `${fmt(s.endMb / s.startMb)}×  (${fmt(s.startMb, 1)} → ${fmt(s.endMb, 1)} MB, ${s.turns} turns)`, '≈ 1 (flat)');
  }
  if (!only || only === 'size') {
    for (const f of ['dist/cli.js', 'dist/extension.js', 'dist/webview.js']) {
      try {
        row(`bundle size ${f} (dev build)`, `${fmt(statSync(f).size / 1024, 0)} KiB`, '');
      } catch {
        /* not built */
      }
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
