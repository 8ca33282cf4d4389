// Builds the session core as it was before the reshape into a pure transition (commit
// 406fe46: one LiveSession class) into bench/.old-core/old.cjs, and today's core from the
// work tree into bench/.old-core/new.cjs, with the same esbuild options, so `npm run bench --
// core-ab` can run old and new side by side in one process, on the same transport and emulator.
// (Both bundled: run through tsx, every use of an imported name is a getter call, which a
// bundle does not pay; comparing tsx sources with a bundle would favour the bundle.)
// Only src/core and src/common of that commit are taken (git archive into a temporary
// directory); the transport (src/live) stays today's, so the A/B compares the cores alone.
//
//   node bench/buildOldCore.mjs [commit]      (default 406fe46; rerun any time, it overwrites)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const OLD_CORE_COMMIT = '406fe46';
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
export const OLD_CORE_BUNDLE = path.join(here, '.old-core', 'old.cjs');
export const NEW_CORE_BUNDLE = path.join(here, '.old-core', 'new.cjs');

const ENTRY =
  "export { LiveSession, DEFAULT_SESSION_OPTIONS } from './src/core/liveSession';\nexport { ApiKeyCredentials } from './src/core/ports';\n";

function bundle(sourceRoot, outfile, what) {
  writeFileSync(path.join(sourceRoot, 'coreAbEntry.ts'), ENTRY);
  return esbuild.build({
    entryPoints: [path.join(sourceRoot, 'coreAbEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The same module resolution as today's build (type-only imports of @google/genai vanish).
    nodePaths: [path.join(root, 'node_modules')],
    logLevel: 'warning',
    banner: { js: `// The session core of ${what}, built by bench/buildOldCore.mjs for the core A/B bench. Do not edit.` },
  });
}

export async function buildOldCore(commit = OLD_CORE_COMMIT) {
  const dir = mkdtempSync(path.join(tmpdir(), 'moontalk-old-core-'));
  try {
    const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', commit, 'src/core', 'src/common'], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    await bundle(dir, OLD_CORE_BUNDLE, `commit ${commit}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return OLD_CORE_BUNDLE;
}

/** Today's core, from the work tree (a temporary entry file beside src/, removed again). */
export async function buildNewCore() {
  const dir = mkdtempSync(path.join(tmpdir(), 'moontalk-new-core-'));
  try {
    // The entry lives in a temporary directory; src/ is reached through a symlink to the work tree.
    symlinkSync(path.join(root, 'src'), path.join(dir, 'src'), 'dir');
    await bundle(dir, NEW_CORE_BUNDLE, 'the work tree');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return NEW_CORE_BUNDLE;
}

/**
 * The CLI as it was at `commit` (its whole src/ tree), bundled like esbuild.mjs bundles
 * dist/cli.js, into bench/.old-core/cli-<commit>.js: the "before" of a CLI bench row
 * (bench/dropsEvery5s.ts). Built only when missing.
 */
export async function buildCliAt(commit) {
  const outfile = path.join(here, '.old-core', `cli-${commit}.js`);
  if (existsSync(outfile)) return outfile;
  const dir = mkdtempSync(path.join(tmpdir(), 'moontalk-old-cli-'));
  try {
    const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', commit, 'src'], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    await esbuild.build({
      entryPoints: [path.join(dir, 'src', 'cli', 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['bufferutil', 'utf-8-validate', '@picovoice/pvrecorder-node'],
      nodePaths: [path.join(root, 'node_modules')],
      logLevel: 'warning',
      // (main.ts carries its own #! line; esbuild keeps it first.)
      banner: { js: `// The CLI of commit ${commit}, built by bench/buildOldCore.mjs. Do not edit.` },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildOldCore(process.argv[2] ?? OLD_CORE_COMMIT);
  console.log(`old core (${process.argv[2] ?? OLD_CORE_COMMIT}) → ${path.relative(root, out)}`);
  console.log(`new core (work tree) → ${path.relative(root, await buildNewCore())}`);
}
