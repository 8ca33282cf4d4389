// Peak RSS (VmHWM, Linux) of `moontalk-live broker` while its upstream answers a mint with a huge body.
// usage: node esbuild.mjs && node bench/brokerUpstreamRss.mjs dist/cli.js [MB]   (CHUNKED=1: no Content-Length)
// 2026-11-30, 300 MB: before the cap 975 MB peak RSS; with it 84 MB (cappedFetch.ts).
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const cli = process.argv[2];
const mb = Number(process.argv[3] ?? 300);
const KEY = 'AIzaFAKEq7Wz9XvK2mN4pR8tL0bJ3hD6cYxQ';
const dir = mkdtempSync(join(tmpdir(), 'rss-'));
const creds = join(dir, 'creds.json');
const out = execFileSync(process.execPath, [cli, 'broker', 'add-client', '--file', creds, '--id', 'alice'], { encoding: 'utf8' });
const credential = JSON.parse(out.trim().split('\n').pop()).credential;
const cfg = JSON.parse(readFileSync(creds, 'utf8'));
cfg.allowedModels = ['gemini-live-2.5-flash-preview'];
writeFileSync(creds, JSON.stringify(cfg), { mode: 0o600 });
let sent = 0;
const chunk = Buffer.alloc(1 << 20, 'x');
const up = http.createServer((req, res) => {
  req.resume();
  res.writeHead(500, process.env.CHUNKED ? { 'Content-Type': 'text/plain' } : { 'Content-Type': 'text/plain', 'Content-Length': String(mb << 20) });
  let i = 0;
  const pump = () => {
    while (i < mb) {
      i++;
      sent += chunk.length;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => {});
  pump();
});
await new Promise((r) => up.listen(0, '127.0.0.1', r));
const upUrl = `http://127.0.0.1:${up.address().port}`;
const child = spawn(process.execPath, [cli, 'broker', '--credentials', creds, '--base-url', upUrl, '--port', '0'], { env: { PATH: process.env.PATH, GEMINI_API_KEY: KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const baseUrl = await new Promise((resolve, reject) => {
  let buf = '';
  child.stdout.on('data', (d) => { buf += d; const m = buf.match(/"baseUrl":"([^"]+)"/); if (m) resolve(m[1]); });
  setTimeout(() => reject(new Error('no listening line: ' + stderr)), 10000);
});
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const before = hwm();
const t0 = Date.now();
const res = await fetch(`${baseUrl}/v1/tokens`, { method: 'POST', headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'gemini-live-2.5-flash-preview' }), signal: AbortSignal.timeout(120000) });
const text = await res.text();
const ms = Date.now() - t0;
await new Promise((r) => setTimeout(r, 300));
const peak = hwm();
child.kill('SIGTERM');
up.closeAllConnections(); up.close();
console.log(JSON.stringify({ cli, upstreamBodyMB: mb, status: res.status, answerBytes: text.length, answerHead: text.slice(0, 200), ms, upstreamBytesWritten: sent, peakRssMBBeforeRequest: Math.round(before), peakRssMB: Math.round(peak) }));
