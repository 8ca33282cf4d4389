// Builds every bundle: one esbuild context per target (where the code runs).
//   node esbuild.mjs               build once
//   node esbuild.mjs --production  minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --watch       rebuild on change
// Types are checked separately with `tsc --noEmit` (npm run typecheck), as esbuild does not check them.
//
// The built-in microphone (@picovoice/pvrecorder-node) is a native module: it stays
// external and its files are copied to dist/pvrecorder/, which the .vsix ships
// (.vscodeignore). MOONTALK_PVRECORDER_TARGET picks which binaries go there:
//   unset or 'all'   every platform's (development, the e2e .vsix)
//   a vsce target    only that platform's (scripts/packagePlatforms.mjs: linux-x64, darwin-arm64, ...)
//   'none'           none: the universal .vsix, which falls back to the system recorders
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { PVRECORDER_LIBS } from './scripts/pvrecorderTargets.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** ws loads these native speed-ups when present and works without them. */
const wsOptional = ['bufferutil', 'utf-8-validate'];
/** Loaded at run time from dist/pvrecorder (src/audio/pvRecorderSource.ts), never bundled. */
const nativeExternal = ['@picovoice/pvrecorder-node'];


/** Copies pvrecorder's JavaScript and the chosen binaries to dist/pvrecorder (replacing what was there). */
function copyPvRecorder(target) {
  const out = 'dist/pvrecorder';
  rmSync(out, { recursive: true, force: true });
  if (target === 'none') return;
  const from = path.dirname(createRequire(import.meta.url).resolve('@picovoice/pvrecorder-node/package.json'));
  const libs = target === 'all' ? Object.values(PVRECORDER_LIBS).flat() : PVRECORDER_LIBS[target];
  if (!libs) throw new Error(`MOONTALK_PVRECORDER_TARGET=${target}: pvrecorder has no binary for it (one of ${Object.keys(PVRECORDER_LIBS).join(', ')}, all, none)`);
  mkdirSync(path.join(out, 'dist'), { recursive: true });
  for (const f of readdirSync(path.join(from, 'dist'))) if (f.endsWith('.js')) cpSync(path.join(from, 'dist', f), path.join(out, 'dist', f));
  // package.json says the license (Apache-2.0) and version; the module reads nothing else from it.
  cpSync(path.join(from, 'package.json'), path.join(out, 'package.json'));
  for (const lib of libs) cpSync(path.join(from, 'lib', lib), path.join(out, 'lib', lib), { recursive: true });
}


const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    // The CLI: session core, emulator and broker without VS Code.
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: wsOptional,
  },
];

if (existsSync('src/extension/extension.ts')) {
  targets.push({
    // The extension host: Node, CommonJS, vscode provided by the host.
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...wsOptional, ...nativeExternal],
  });
}

if (existsSync('test/extensionHost/index.ts')) {
  targets.push({
    // Extension-host tests: mocha's run() and the specs, loaded inside VS Code by
    // @vscode/test-cli (.vscode-test.mjs) or the code-server runner. mocha comes
    // from node_modules at run time (it loads reporters dynamically).
    ...common,
    minify: false,
    entryPoints: ['test/extensionHost/index.ts', 'test/extensionHost/*.test.ts'],
    outdir: 'out/test/extensionHost',
    outbase: 'test/extensionHost',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', ...wsOptional],
  });
}

if (existsSync('webview/main.ts')) {
  targets.push(
    {
      // The webview panel: a browser bundle.
      ...common,
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview.js',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
    {
      // AudioWorklet processors run in their own global scope: separate bundles.
      ...common,
      entryPoints: ['webview/audio/captureProcessor.ts', 'webview/audio/playbackProcessor.ts'],
      outdir: 'dist/worklets',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
  );
}

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context(t);
    await ctx.watch();
  }
  console.error('[esbuild] watching for changes');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
  copyPvRecorder(process.env.MOONTALK_PVRECORDER_TARGET || 'all');
}
