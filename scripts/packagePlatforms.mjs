// Packages MoonTalk Live as platform .vsix files, each carrying only its own build of the
// built-in microphone (pvrecorder's native binary), plus a universal .vsix carrying none
// (it falls back to the system recorders: SoX, arecord, ffmpeg). The Marketplace serves
// each user the .vsix for their platform and the universal one to the rest.
//
//   node scripts/packagePlatforms.mjs                 all targets + universal   (npm run package:platforms)
//   node scripts/packagePlatforms.mjs current         this machine's target     (npm run package)
//   node scripts/packagePlatforms.mjs linux-x64 universal
//
// Output: dist-vsix/moontalk-live-<version>-<target>.vsix, then a table of sizes and the
// native binaries each .vsix holds (read back from the file, so a wrong copy shows).
// vsce runs `vscode:prepublish` (esbuild.mjs --production), which reads
// MOONTALK_PVRECORDER_TARGET to copy the right binaries into dist/pvrecorder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PVRECORDER_LIBS } from './pvrecorderTargets.mjs';

const ALL = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64', 'universal'];

/** File names inside a zip, from its central directory (no dependency for one listing). */
export function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function currentTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  return `${process.platform}-${arch}`;
}

function main() {
  const args = process.argv.slice(2);
  const targets = args.length === 0 ? ALL : args.map((a) => (a === 'current' ? currentTarget() : a));
  for (const t of targets) {
    if (t !== 'universal' && !PVRECORDER_LIBS[t]) throw new Error(`unknown target ${t}: one of ${[...Object.keys(PVRECORDER_LIBS), 'universal', 'current'].join(', ')}`);
  }
  const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
  mkdirSync('dist-vsix', { recursive: true });
  const vsce = path.join('node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const rows = [];
  for (const target of targets) {
    const out = path.join('dist-vsix', `moontalk-live-${version}-${target}.vsix`);
    // --no-dependencies: everything but the native module is bundled, and that is copied into dist/ by esbuild.mjs.
    const argv = ['package', '--no-dependencies', '--out', out, ...(target === 'universal' ? [] : ['--target', target])];
    const started = Date.now();
    const run = spawnSync(vsce, argv, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, MOONTALK_PVRECORDER_TARGET: target === 'universal' ? 'none' : target },
      shell: process.platform === 'win32',
    });
    if (run.status !== 0) {
      process.stderr.write(run.stdout);
      throw new Error(`vsce package --target ${target} failed (${run.status})`);
    }
    const entries = zipEntries(readFileSync(out));
    const natives = entries.filter((e) => e.endsWith('.node')).map((e) => e.replace(/^extension\/dist\/pvrecorder\/lib\//, ''));
    const expected = target === 'universal' ? [] : PVRECORDER_LIBS[target].map((l) => `${l}/pv_recorder.node`);
    if (JSON.stringify([...natives].sort()) !== JSON.stringify([...expected].sort())) {
      throw new Error(`${out} carries ${JSON.stringify(natives)}, expected ${JSON.stringify(expected)}`);
    }
    rows.push({ target, file: out, kib: Math.round(statSync(out).size / 1024), files: entries.length, natives, seconds: (Date.now() - started) / 1000 });
  }
  // The last package left dist/ minified and with one target's binaries (or none): put the development build back.
  spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
  console.log(`${'target'.padEnd(14)} ${'size'.padStart(9)}  files  native binaries`);
  for (const r of rows) console.log(`${r.target.padEnd(14)} ${`${r.kib} KiB`.padStart(9)}  ${String(r.files).padStart(5)}  ${r.natives.join(', ') || '(none: falls back to SoX / arecord / ffmpeg)'}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('packagePlatforms.mjs')) main();
